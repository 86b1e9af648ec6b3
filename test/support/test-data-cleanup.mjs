// What a test run leaves in the shared Postgres and Redis, removed at its end (global teardown).
// Plain JavaScript: Jest loads global setup and teardown outside its ESM transform.
import { Redis } from 'ioredis';
import pg from 'pg';

const RUN_ID = /^[0-9a-f]{6,16}$/;

/** The Redis prefix every queue prefix of test run `run` starts with (test/support/processes.ts). */
export function runKeyPrefix(run) {
  if (!RUN_ID.test(run)) throw new Error(`odd test run id "${run}"`);
  return `t${run}`;
}

/**
 * Deletes the keys under `prefix` (never anything else: no FLUSHALL, no other prefix), scanning
 * in batches so that a shared Redis is not blocked. Returns how many were deleted.
 */
export async function deleteRedisKeys(redisUrl, prefix) {
  if (!/^[A-Za-z0-9_-]{4,}$/.test(prefix)) throw new Error(`refusing to delete keys under "${prefix}"`);
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      // SCAN's pattern is a glob: keep only what truly starts with the prefix
      const ours = keys.filter((k) => k.startsWith(prefix));
      if (ours.length > 0) deleted += await redis.unlink(...ours);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

/**
 * Drops the run's test database and the databases of its own that test files made for run `run`
 * (test/support/test-database.ts names them switchyard_<label>_<run>…_test) and did not drop.
 * Only names ending in _test. Returns the names dropped.
 */
export async function dropTestDatabases(databaseUrl, run) {
  const url = new URL(databaseUrl);
  const main = decodeURIComponent(url.pathname.slice(1));
  if (!/^[a-z0-9_]+_test$/.test(main)) throw new Error(`refusing to drop "${main}": not a test database`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rows } = await client.query(
      String.raw`SELECT datname FROM pg_database
        WHERE datname = $1 OR (datname LIKE 'switchyard\_%' AND datname LIKE $2)`,
      [main, `%\\_${runKeyPrefix(run).slice(1)}%\\_test`],
    );
    const names = rows.map((r) => r.datname).filter((n) => /^[a-z0-9_]+_test$/.test(n));
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    return names;
  } finally {
    await client.end();
  }
}
