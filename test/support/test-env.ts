/**
 * The environment every test process and every process a test starts shares. The same
 * variables as production; `npm test` sets them (see tools/dev/run.mjs), defaults serve a
 * bare `npx jest` on a machine with local Postgres and Redis.
 */
export function testEnv(): Record<string, string> {
  const env = process.env;
  return {
    NODE_ENV: 'test',
    DATABASE_URL: env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/switchyard_test',
    REDIS_URL: env.TEST_REDIS_URL ?? env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    SWITCHYARD_SECRET_KEY: Buffer.alloc(32, 42).toString('base64'),
    SWITCHYARD_ADMIN_TOKEN: 'syd_test_admin_token_0123456789abcdefghijklmnop',
    LOG_LEVEL: env.TEST_LOG_LEVEL ?? 'warn',
  };
}
