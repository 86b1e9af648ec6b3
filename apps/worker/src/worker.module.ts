import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ConfigModule, DatabaseModule, LoggingModule, QueueModule, type AppConfig } from '@switchyard/core';
import { MIGRATIONS } from '@switchyard/migrations';
import { QueueWorkersService } from './jobs/queue-workers.service.js';
import { SelfCheckHandler } from './self-check/self-check.handler.js';

/** Every job handler is listed here; the worker checks the catalogue is complete at boot. */
const HANDLERS = [SelfCheckHandler];

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        DiscoveryModule,
        DatabaseModule.forRoot({ migrations: MIGRATIONS, applicationName: 'switchyard-worker' }),
        QueueModule,
      ],
      providers: [QueueWorkersService, ...HANDLERS],
    };
  }
}
