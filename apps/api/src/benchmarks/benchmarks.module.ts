import { Module } from '@nestjs/common';
import { BenchmarkFlowModule } from '@switchyard/core/benchmarks';
import { DeploymentLifecycleModule } from '@switchyard/core/deployments';
import { BlueprintsModule } from '../blueprints/blueprints.module.js';
import { EnvironmentsModule } from '../environments/environments.module.js';
import { BenchmarkSchedulesController } from './benchmark-schedules.controller.js';
import { BenchmarkSchedulesService } from './benchmark-schedules.service.js';
import { BenchmarkRequestService } from './benchmark-request.service.js';
import { BenchmarksController } from './benchmarks.controller.js';
import { BenchmarksService } from './benchmarks.service.js';

/** Benchmarks (issue 18): the API side; the worker deploys, measures and tears down. */
@Module({
  imports: [BlueprintsModule, EnvironmentsModule, DeploymentLifecycleModule, BenchmarkFlowModule],
  controllers: [BenchmarksController, BenchmarkSchedulesController],
  providers: [BenchmarkRequestService, BenchmarksService, BenchmarkSchedulesService],
})
export class BenchmarksModule {}
