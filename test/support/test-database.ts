import pg from 'pg';
import { testRunId } from './test-run.js';

export async function recreateDatabase(url: URL, name: string): Promise<void> {
  await onServer(url, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  });
}

export async function dropDatabase(url: URL, name: string): Promise<void> {
  await onServer(url, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

async function onServer(url: URL, fn: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A database of the test's own, migrated from empty, for tests whose processes look at every
 * row (the reconciler sweeps all deployments and accounts; in the shared test database it would
 * touch other files' clouds). Returns its URL and a function that drops it.
 */
export async function migratedDatabase(
  baseUrl: string,
  label: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const [{ DataSource }, { CORE_ENTITIES, dataSourceOptions }, { MIGRATIONS }] = await Promise.all([
    import('typeorm'),
    import('@switchyard/core/database'),
    import('@switchyard/migrations'),
  ]);
  const url = new URL(baseUrl);
  // the run's id in the name: the global teardown drops it if the file could not
  const name = `switchyard_${label}_${testRunId()}${Math.random().toString(36).slice(2, 8)}_test`;
  url.pathname = `/${name}`;
  await recreateDatabase(url, name);
  const ds = new DataSource(dataSourceOptions(url.toString(), CORE_ENTITIES, MIGRATIONS, { poolSize: 1 }));
  await ds.initialize();
  try {
    await ds.runMigrations();
  } finally {
    await ds.destroy();
  }
  return { url: url.toString(), drop: () => dropDatabase(url, name) };
}
