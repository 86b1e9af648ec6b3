// Once per run, before the integration and e2e tiers: a test database migrated from empty, and
// the run's id, which every queue prefix and file database of the run carries so that the global
// teardown (global-teardown.mjs) removes what this run made and nothing else. Plain JavaScript on the compiled libraries, because Jest loads global setup outside its ESM
// transform; `npm test` builds first.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres:postgres@127.0.0.1:5432/switchyard_test';

export default async function globalSetup() {
  process.env.TEST_DATABASE_URL ??= DEFAULT_TEST_DATABASE_URL;
  process.env.TEST_REDIS_URL ??= process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  // inherited by Jest's workers, which start after this
  process.env.SWITCHYARD_TEST_RUN ??= randomBytes(4).toString('hex');
  const url = new URL(process.env.TEST_DATABASE_URL);
  const name = url.pathname.slice(1);
  if (!/^[a-z0-9_]+_test$/.test(name)) {
    throw new Error(`refusing to recreate database "${name}": test database names must end in _test`);
  }
  let core, migrations, typeorm;
  try {
    core = await import('@switchyard/core/database');
    migrations = await import('@switchyard/migrations');
    typeorm = await import('typeorm');
  } catch (err) {
    throw new Error(`the libraries are not built: run npm run build (or npm test) first (${err.message})`, {
      cause: err,
    });
  }
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
  const ds = new typeorm.DataSource(
    core.dataSourceOptions(url.toString(), core.CORE_ENTITIES, migrations.MIGRATIONS, { poolSize: 1 }),
  );
  await ds.initialize();
  try {
    await ds.runMigrations();
  } finally {
    await ds.destroy();
  }
}
