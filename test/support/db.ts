import pg from 'pg';
import { testEnv } from './test-env.js';

/** A direct connection to the test database, to check what the apps really stored. */
export async function testDb(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: testEnv().DATABASE_URL });
  await client.connect();
  return client;
}

/** The backend pid of an app process's change-notice connection (LISTEN), if it is listening. */
export async function noticeListenerOf(
  db: pg.Client,
  app: { child: { pid?: number } },
  name = 'switchyard-api',
): Promise<{ pid: number } | undefined> {
  const res = await db.query(
    `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'`,
    [`${name}-notices:${app.child.pid}`],
  );
  return res.rows[0] as { pid: number } | undefined;
}
