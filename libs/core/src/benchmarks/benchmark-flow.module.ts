import { Module } from '@nestjs/common';
import { BenchmarkFlow } from './benchmark-flow.js';
import { BenchmarkRepository } from './benchmark.repository.js';

/** The benchmark flow and its repository, for the API and the worker alike. */
@Module({
  providers: [BenchmarkRepository, BenchmarkFlow],
  exports: [BenchmarkRepository, BenchmarkFlow],
})
export class BenchmarkFlowModule {}
