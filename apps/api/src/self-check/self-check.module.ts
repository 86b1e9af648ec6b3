import { Module } from '@nestjs/common';
import { SelfCheckController } from './self-check.controller.js';
import { SelfCheckService } from './self-check.service.js';
import { SelfChecksRepository } from './self-checks.repository.js';

/** An admin asks the worker to check Postgres, Redis and the queues from its side. */
@Module({
  controllers: [SelfCheckController],
  providers: [SelfChecksRepository, SelfCheckService],
})
export class SelfCheckModule {}
