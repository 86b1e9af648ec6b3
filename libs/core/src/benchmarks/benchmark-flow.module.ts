import { Module } from '@nestjs/common';
import { BenchmarkFlow } from './benchmark-flow.js';
import { BenchmarkScheduleRepository } from './benchmark-schedule.repository.js';
import { BenchmarkRepository } from './benchmark.repository.js';

/** The benchmark flow and its repository, for the API and the worker alike. */
@Module({
  providers: [BenchmarkRepository, BenchmarkScheduleRepository, BenchmarkFlow],
  exports: [BenchmarkRepository, BenchmarkScheduleRepository, BenchmarkFlow],
})
export class BenchmarkFlowModule {}
