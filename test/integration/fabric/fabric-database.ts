import { DataSource } from 'typeorm';
import { CORE_ENTITIES, dataSourceOptions } from '@switchyard/core/database';
import { MIGRATIONS } from '@switchyard/migrations';
import { migratedDatabase } from '../../support/test-database.js';
import { testEnv } from '../../support/test-env.js';

/** A fresh database of its own, migrated through the fabric migration; `drop()` removes it. */
export interface FabricTestDatabase {
  url: string;
  /** Another pool on the same database (a second API process). */
  connect(poolSize?: number): Promise<DataSource>;
  drop(): Promise<void>;
}

export async function createFabricDatabase(): Promise<FabricTestDatabase> {
  const db = await migratedDatabase(testEnv().DATABASE_URL, 'fabric');
  const sources: DataSource[] = [];
  const connect = async (poolSize = 10) => {
    const ds = new DataSource(dataSourceOptions(db.url, CORE_ENTITIES, MIGRATIONS, { poolSize }));
    await ds.initialize();
    sources.push(ds);
    return ds;
  };
  return {
    url: db.url,
    connect,
    drop: async () => {
      await Promise.all(sources.filter((s) => s.isInitialized).map((s) => s.destroy()));
      await db.drop();
    },
  };
}
