import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { CORE_ENTITIES, dataSourceOptions } from '@switchyard/core/database';
import { MIGRATIONS } from '@switchyard/migrations';

const root = resolve(import.meta.dirname, '../..');

// a fresh queue prefix per run: jobs left in Redis by an earlier run are not this run's
const RUN_PREFIX = `bench${Date.now().toString(36)}`;

export const BENCH_TOKEN = 'syd_bench_admin_token_0123456789abcdefghijklmn';

/** A fresh, migrated bench database (BENCH_DATABASE_URL, set by `npm run bench:*`). */
export async function freshDatabase(): Promise<string> {
  const url = new URL(
    process.env.BENCH_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/switchyard_bench',
  );
  const name = url.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  const ds = new DataSource(dataSourceOptions(url.toString(), CORE_ENTITIES, MIGRATIONS, { poolSize: 1 }));
  await ds.initialize();
  await ds.runMigrations();
  await ds.destroy();
  return url.toString();
}

function benchEnv(
  databaseUrl: string,
  port: number,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: RUN_PREFIX,
    SWITCHYARD_SECRET_KEY: Buffer.alloc(32, 1).toString('base64'),
    SWITCHYARD_ADMIN_TOKEN: BENCH_TOKEN,
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** Starts the compiled worker (it has no port; it is ready once it consumes). */
export function startWorker(databaseUrl: string, extra: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [resolve(root, 'apps/worker/dist/main.js')], {
    cwd: root,
    env: benchEnv(databaseUrl, 0, extra),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/**
 * Starts the compiled API and resolves once it listens; with `API_PROCESSES` > 1 in `extra`, once
 * every process serves (each holds its own Postgres connection for change notices).
 */
export async function startApi(
  databaseUrl: string,
  port: number,
  extra: Record<string, string> = {},
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [resolve(root, 'apps/api/dist/main.js')], {
    cwd: root,
    env: benchEnv(databaseUrl, port, extra),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const processes = Number(extra.API_PROCESSES ?? 1);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const live = await fetch(`http://127.0.0.1:${port}/health/live`).then(
      (r) => r.ok,
      () => false,
    );
    if (live && (processes <= 1 || (await listeningProcesses(databaseUrl)) >= processes)) return child;
    if (child.exitCode !== null) throw new Error('the API exited during start-up');
    if (Date.now() > deadline) throw new Error('the API did not start in 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** How many API processes listen for change notices on this database. */
async function listeningProcesses(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND application_name LIKE 'switchyard-api-notices:%'
          AND query LIKE 'LISTEN%'`,
    );
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}
