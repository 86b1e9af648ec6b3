import type { DataSourceOptions, MigrationInterface } from 'typeorm';

type EntityClass = abstract new (...args: never[]) => unknown;
type MigrationClass = new () => MigrationInterface;

/**
 * The one way Switchyard connects to PostgreSQL. Entities and migrations are passed as classes
 * (not globs) so the same options work under Node ESM, Jest and the migration runner.
 * The schema changes only through migrations: `synchronize` stays off everywhere.
 */
export function dataSourceOptions(
  url: string,
  entities: readonly EntityClass[],
  migrations: readonly MigrationClass[],
  extra: { poolSize?: number; applicationName?: string } = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [...entities],
    migrations: [...migrations],
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    applicationName: extra.applicationName ?? 'switchyard',
    poolSize: extra.poolSize ?? 10,
    // under a burst, requests queue for a connection: a generous wait beats failing them
    extra: { connectionTimeoutMillis: 30_000 },
  };
}
