import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { JobQueue } from './job-queue.js';
import { createRedis } from './redis.js';

/** Injection token of the process's shared Redis connection (queues, health). */
export const REDIS = Symbol('REDIS');

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Redis => createRedis(config.redisUrl, `switchyard-${process.pid}`),
    },
    {
      provide: JobQueue,
      inject: [REDIS, APP_CONFIG],
      useFactory: (redis: Redis, config: AppConfig) => new JobQueue(redis, config.queuePrefix),
    },
  ],
  exports: [REDIS, JobQueue],
})
export class QueueModule implements OnApplicationShutdown {
  constructor(
    @Inject(JobQueue) private readonly queues: JobQueue,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queues.close();
    this.redis.disconnect();
  }
}
