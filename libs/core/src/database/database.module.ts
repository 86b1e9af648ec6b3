import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type MigrationInterface } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { CORE_ENTITIES } from './entities.js';
import { dataSourceOptions } from './data-source-options.js';
import { ChangeNotices } from './change-notices.js';
import { UnitOfWork } from './unit-of-work.js';

type EntityClass = abstract new (...args: never[]) => unknown;

/**
 * One DataSource per process. Switchyard does not use @nestjs/typeorm's module: a plain provider
 * keeps start-up explicit (the launcher applies migrations before the apps start).
 */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(ChangeNotices) private readonly notices: ChangeNotices,
  ) {}

  static forRoot(options: {
    entities?: readonly EntityClass[];
    migrations: readonly (new () => MigrationInterface)[];
    applicationName: string;
  }) {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DataSource,
          inject: [APP_CONFIG],
          useFactory: async (config: AppConfig) => {
            const ds = new DataSource(
              dataSourceOptions(
                config.databaseUrl,
                [...CORE_ENTITIES, ...(options.entities ?? [])],
                options.migrations,
                {
                  applicationName: options.applicationName,
                  poolSize: config.databasePoolSize,
                },
              ),
            );
            await ds.initialize();
            // the launcher migrates before the apps start; a process on an older schema would misbehave
            if (await ds.showMigrations()) {
              await ds.destroy();
              throw new Error('the database schema is behind this build: run `npm run migrate` first');
            }
            return ds;
          },
        },
        UnitOfWork,
        {
          provide: ChangeNotices,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => new ChangeNotices(config.databaseUrl, options.applicationName),
        },
      ],
      exports: [DataSource, UnitOfWork, ChangeNotices],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.notices.close();
    if (this.db.isInitialized) await this.db.destroy();
  }
}
