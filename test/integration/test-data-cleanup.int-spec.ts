import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { stackEnv } from '../support/processes.js';
import { dropDatabase, recreateDatabase } from '../support/test-database.js';
import { deleteRedisKeys, dropTestDatabases, runKeyPrefix } from '../support/test-data-cleanup.mjs';
import { testEnv } from '../support/test-env.js';

// The global teardown's cleanup (test/support/global-teardown.mjs) on the real Redis and Postgres
// every test shares: it removes what one run made and leaves everything else alone. Run ids of
// this file's own, so that nothing of the running suite is touched.
const fakeRun = () => randomBytes(4).toString('hex');

describe('cleaning up after a test run', () => {
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(testEnv().REDIS_URL);
  });

  afterAll(() => redis.disconnect());

  it('gives every Switchyard of this run a queue prefix under the run’s (set by the global setup)', async () => {
    const run = process.env.SWITCHYARD_TEST_RUN;
    expect(run).toMatch(/^[0-9a-f]{8}$/);
    const a = (await stackEnv()).QUEUE_PREFIX!;
    const b = (await stackEnv()).QUEUE_PREFIX!;
    expect(a.startsWith(runKeyPrefix(run!))).toBe(true);
    expect(b.startsWith(runKeyPrefix(run!))).toBe(true);
    expect(a).not.toBe(b);
  });

  it('deletes every key under the run’s prefix, however many, and no other key', async () => {
    const run = fakeRun();
    const prefix = runKeyPrefix(run);
    const other = runKeyPrefix(fakeRun());
    const ours = Array.from({ length: 2_500 }, (_, i) => `${prefix}${i % 7}:deploy:${i}`);
    const bystanders = [`${other}:deploy:1`, `x${prefix}:deploy:1`, `${prefix.slice(0, -1)}:deploy:1`];
    const write = redis.pipeline();
    for (const key of [...ours, ...bystanders]) write.set(key, '1', 'EX', 600);
    write.rpush(`${prefix}0:execution-trace`, 'x');
    await write.exec();
    try {
      expect(await deleteRedisKeys(testEnv().REDIS_URL, prefix)).toBe(ours.length + 1);
      expect(await redis.keys(`${prefix}*`)).toEqual([]);
      expect(await redis.exists(...bystanders)).toBe(bystanders.length);
    } finally {
      await redis.del(...bystanders, ...ours);
    }
  });

  it('refuses a prefix that could match what is not a test run’s', async () => {
    await expect(deleteRedisKeys(testEnv().REDIS_URL, '')).rejects.toThrow(/refusing/);
    await expect(deleteRedisKeys(testEnv().REDIS_URL, 't*')).rejects.toThrow(/refusing/);
    expect(() => runKeyPrefix('*')).toThrow(/odd test run id/);
  });

  it('drops the run’s test database and the databases its files left, and no other', async () => {
    const run = fakeRun();
    const base = new URL(testEnv().DATABASE_URL);
    const main = `switchyard_${run}_main_test`;
    const left = `switchyard_web_${run}x1y2_test`;
    const bystander = `switchyard_web_${fakeRun()}x1y2_test`;
    for (const name of [main, left, bystander]) await recreateDatabase(base, name);
    const mainUrl = new URL(base);
    mainUrl.pathname = `/${main}`;
    try {
      expect((await dropTestDatabases(mainUrl.toString(), run)).sort()).toEqual([left, main].sort());
      const client = new (await import('pg')).default.Client({ connectionString: base.toString() });
      await client.connect();
      const { rows } = await client.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE datname = ANY($1)',
        [[main, left, bystander]],
      );
      await client.end();
      expect(rows.map((r) => r.datname)).toEqual([bystander]);
    } finally {
      for (const name of [main, left, bystander]) await dropDatabase(base, name);
    }
  });

  it('refuses to drop a database whose name does not end in _test', async () => {
    const url = new URL(testEnv().DATABASE_URL);
    url.pathname = '/switchyard';
    await expect(dropTestDatabases(url.toString(), fakeRun())).rejects.toThrow(/not a test database/);
  });
});
