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

/** Starts one compiled API process and resolves once it listens. */
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
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health/live`)).ok) return child;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error('the API exited during start-up');
    if (Date.now() > deadline) throw new Error('the API did not start in 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
}
