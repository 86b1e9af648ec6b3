import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CORE_ENTITIES, dataSourceOptions } from '@switchyard/core';
import { MIGRATIONS } from '@switchyard/migrations';
import { dropDatabase, recreateDatabase } from '../../support/test-database.js';
import { testEnv } from '../../support/test-env.js';

/** A fresh database of its own, migrated through the fabric migration; `drop()` removes it. */
export interface FabricTestDatabase {
  url: string;
  /** Another pool on the same database (a second API process). */
  connect(poolSize?: number): Promise<DataSource>;
  drop(): Promise<void>;
}

export async function createFabricDatabase(): Promise<FabricTestDatabase> {
  const base = testEnv().DATABASE_URL;
  if (!base) throw new Error('no test database URL');
  const url = new URL(base);
  const name = `switchyard_fabric_${randomBytes(4).toString('hex')}_test`;
  url.pathname = `/${name}`;
  await recreateDatabase(url, name);
  const sources: DataSource[] = [];
  const connect = async (poolSize = 10) => {
    const ds = new DataSource(dataSourceOptions(url.toString(), CORE_ENTITIES, MIGRATIONS, { poolSize }));
    await ds.initialize();
    sources.push(ds);
    return ds;
  };
  const migrator = await connect(1);
  await migrator.runMigrations();
  return {
    url: url.toString(),
    connect,
    drop: async () => {
      await Promise.all(sources.filter((s) => s.isInitialized).map((s) => s.destroy()));
      await dropDatabase(url, name);
    },
  };
}
