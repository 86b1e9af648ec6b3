/**
 * The environment every test process and every process a test starts shares. The same
 * variables as production. TEST_DATABASE_URL and TEST_REDIS_URL come from `npm test`
 * (tools/dev/run.mjs) or, with their defaults, from the global setup.
 */
export interface TestEnv extends Record<string, string> {
  NODE_ENV: string;
  DATABASE_URL: string;
  REDIS_URL: string;
  SWITCHYARD_SECRET_KEY: string;
  SWITCHYARD_ADMIN_TOKEN: string;
  LOG_LEVEL: string;
}

export function testEnv(): TestEnv {
  const env = process.env;
  return {
    NODE_ENV: 'test',
    DATABASE_URL: required('TEST_DATABASE_URL'),
    REDIS_URL: required('TEST_REDIS_URL'),
    SWITCHYARD_SECRET_KEY: Buffer.alloc(32, 42).toString('base64'),
    SWITCHYARD_ADMIN_TOKEN: 'syd_test_admin_token_0123456789abcdefghijklmnop',
    LOG_LEVEL: env.TEST_LOG_LEVEL ?? 'warn',
  };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with npm test`);
  return value;
}
