import pg from 'pg';
import { testEnv } from './test-env.js';

/** A direct connection to the test database, to check what the apps really stored. */
export async function testDb(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: testEnv().DATABASE_URL });
  await client.connect();
  return client;
}
