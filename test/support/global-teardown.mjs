// Once per run, after the integration, e2e and browser tiers: what the run made in Postgres and
// Redis goes (its test database and the databases of test files, the keys under its queue
// prefixes). SWITCHYARD_TEST_KEEP_DATA=1 keeps them to look at.
import { deleteRedisKeys, dropTestDatabases, runKeyPrefix } from './test-data-cleanup.mjs';

export default async function globalTeardown() {
  const run = process.env.SWITCHYARD_TEST_RUN;
  if (!run) return;
  const databaseUrl = process.env.TEST_DATABASE_URL;
  const prefix = runKeyPrefix(run);
  if (process.env.SWITCHYARD_TEST_KEEP_DATA === '1') {
    process.stderr.write(
      `\nSWITCHYARD_TEST_KEEP_DATA=1: kept ${new URL(databaseUrl).pathname.slice(1)} and the Redis keys ${prefix}*\n`,
    );
    return;
  }
  const dropped = await dropTestDatabases(databaseUrl, run);
  const keys = await deleteRedisKeys(process.env.TEST_REDIS_URL, prefix);
  process.stderr.write(
    `\nCleaned up: ${dropped.length} database(s) (${dropped.join(', ')}), ${keys} Redis key(s) ${prefix}*\n`,
  );
}
