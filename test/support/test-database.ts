import pg from 'pg';
import { DataSource } from 'typeorm';
import { CORE_ENTITIES, dataSourceOptions } from '@switchyard/core';
import { MIGRATIONS } from '@switchyard/migrations';
import { testEnv } from './test-env.js';

/** Drops and recreates the test database, then applies every migration to it. */
export async function prepareTestDatabase(): Promise<void> {
  const url = new URL(testEnv().DATABASE_URL);
  const name = url.pathname.slice(1);
  if (!/^[a-z0-9_]+_test$/.test(name)) {
    throw new Error(`refusing to recreate database "${name}": test database names must end in _test`);
  }
  await recreateDatabase(url, name);
  const ds = new DataSource(dataSourceOptions(url.toString(), CORE_ENTITIES, MIGRATIONS));
  await ds.initialize();
  try {
    await ds.runMigrations();
  } finally {
    await ds.destroy();
  }
}

export async function recreateDatabase(url: URL, name: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}
