#!/usr/bin/env node
// The README's commands: `npm start`, `npm test`, `npm run migrate`, `npm run bench:*`.
// Each builds what it needs, makes sure Postgres and Redis answer, and then does its job.
import './require-node-24.mjs';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runApps } from './app-processes.mjs';
import { startDemoPeers } from './demo-peers.mjs';
import { holdSignals, interruptedBy, runStep, signalExitCode } from './interruptible.mjs';
import { checkOpenApi } from './openapi-check.mjs';
import { ensureDatabase, ensurePostgres, ensureRedis, SetupError } from './services.mjs';
import { prepareTestPeers } from './test-peers.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const stateDir = resolve(root, '.switchyard');
const say = (msg) => process.stderr.write(`switchyard: ${msg}\n`);

function step(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) {
    say(`${[cmd, ...args].join(' ')} failed`);
    process.exit(r.status ?? 1);
  }
}

const npx = (bin, args, env) =>
  step(process.execPath, [resolve(root, 'node_modules/.bin', bin), ...args], env);
const build = () => {
  npx('tsc', ['-b', 'tsconfig.build.json']);
  // the web app (apps/web/dist), which the API serves at /
  npx('vite', ['build', 'apps/web', '--logLevel', 'warn']);
};

/** A stable local key for secrets at rest, kept in .switchyard/ (never in git) unless one is given. */
function secretKeyEnv() {
  if (process.env.SWITCHYARD_SECRET_KEY) return {};
  const file = resolve(stateDir, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
    chmodSync(file, 0o600);
    say(`created a local secret key in ${file} (set SWITCHYARD_SECRET_KEY in production)`);
  }
  return { SWITCHYARD_SECRET_KEY: readFileSync(file, 'utf8').trim() };
}

/** The config every process will read: loaded by the same code, so the defaults are the apps'. */
async function appConfig(env) {
  const { loadConfig } = await import('@switchyard/core/config');
  try {
    return loadConfig(env);
  } catch (err) {
    throw new SetupError(err.message);
  }
}

async function migrate(databaseUrl) {
  const { DataSource } = await import('typeorm');
  const { CORE_ENTITIES, dataSourceOptions } = await import('@switchyard/core/database');
  const { MIGRATIONS } = await import('@switchyard/migrations');
  const ds = new DataSource(dataSourceOptions(databaseUrl, CORE_ENTITIES, MIGRATIONS, { poolSize: 1 }));
  await ds.initialize();
  try {
    const applied = await ds.runMigrations();
    for (const m of applied) say(`applied migration ${m.name}`);
  } finally {
    await ds.destroy();
  }
}

async function prepare(env) {
  const config = await appConfig(env);
  await ensurePostgres(config.databaseUrl);
  await ensureRedis(config.redisUrl, stateDir);
  await ensureDatabase(config.databaseUrl);
  await migrate(config.databaseUrl);
  return config;
}

async function start(args) {
  // --no-build: the compiled code is there already (the launcher's own e2e test)
  if (!args.includes('--no-build')) build();
  const env = { ...process.env, ...secretKeyEnv() };
  // one API process per core (node:cluster) unless API_PROCESSES says otherwise
  env.API_PROCESSES ||= '0';
  // SWITCHYARD_DEMO_CLOUDS is the launcher's to settle (`off`, or where the peers it starts are)
  const config = await prepare({ ...env, SWITCHYARD_DEMO_CLOUDS: undefined });
  // the demo's simulated clouds; the API seeds accounts and environments for them
  const peers = await startDemoPeers(root, env);
  if (peers.value) env.SWITCHYARD_DEMO_CLOUDS = peers.value;
  else delete env.SWITCHYARD_DEMO_CLOUDS;
  const { formatLogRecord, isPrettyLogFormat } = await import('@switchyard/core/logging');
  const terminal = process.stdout.isTTY === true;
  const url = `http://localhost:${config.port}`;
  say(`starting the API and the worker (${url} once ready)`);
  process.exitCode = await runApps({
    root,
    env,
    port: config.port,
    host: config.host,
    pretty: isPrettyLogFormat(config.logFormat, terminal),
    color: terminal && !process.env.NO_COLOR,
    formatLogRecord,
    onStop: () => peers.stop(),
    banner: ({ tokenPrinted }) => [
      `  Switchyard is ready: ${url}/   (API docs: ${url}/api/docs)`,
      `  demo clouds: ${peers.summary}`,
      config.adminToken
        ? '  admin token: the one in SWITCHYARD_ADMIN_TOKEN'
        : tokenPrinted
          ? '  admin token: below, shown this once'
          : '  admin token: printed on the very first start only; lost it? set SWITCHYARD_ADMIN_TOKEN and restart',
      '  Ctrl-C stops Switchyard.',
    ],
  });
}

async function test(args) {
  npx('eslint', ['.', '--max-warnings', '0']);
  npx('prettier', ['--check', '.', '--log-level', 'warn']);
  npx('tsc', ['-p', 'tsconfig.json', '--noEmit']);
  npx('tsc', ['-p', 'apps/web', '--noEmit']);
  build();
  const contract = checkOpenApi(root);
  if (contract) {
    say(contract);
    process.exit(1);
  }
  say(`the tests run on Node ${process.versions.node} (${process.execPath})`);
  const config = await appConfig({
    ...process.env,
    SWITCHYARD_SECRET_KEY: undefined,
    SWITCHYARD_DEMO_CLOUDS: undefined,
  });
  await ensurePostgres(config.databaseUrl);
  await ensureRedis(config.redisUrl, stateDir);
  const testDb = new URL(config.databaseUrl);
  testDb.pathname = `/${testDb.pathname.slice(1).replace(/_test$/, '')}_test`;
  const env = {
    ...process.env,
    TEST_DATABASE_URL: process.env.TEST_DATABASE_URL ?? testDb.toString(),
    TEST_REDIS_URL: process.env.TEST_REDIS_URL ?? config.redisUrl,
  };
  // from here on a Ctrl-C ends the running step and then stops the OpenStack this run started
  holdSignals();
  const peers = await prepareTestPeers(root, env, { narrowed: args.length > 0 });
  Object.assign(env, peers.env);
  let code = 0;
  if (!interruptedBy()) {
    const jest = ['--experimental-vm-modules', '--no-warnings', 'node_modules/jest/bin/jest.js', ...args];
    ({ code } = await runStep(process.execPath, jest, { cwd: root, env }));
  }
  await peers.stop();
  if (interruptedBy()) code = signalExitCode(interruptedBy());
  else if (code !== 0) say(`jest failed (exit ${code})`);
  process.exit(code);
}

async function bench(args) {
  build();
  const config = await prepare({ ...process.env, ...secretKeyEnv() });
  step(process.execPath, [resolve(root, 'node_modules/.bin/tsx'), ...args], {
    ...process.env,
    // a bench database per DATABASE_URL (switchyard -> switchyard_bench): people sharing a machine
    // each set their own DATABASE_URL, and the bench drops and recreates its database
    BENCH_DATABASE_URL:
      process.env.BENCH_DATABASE_URL ?? config.databaseUrl.replace(/\/([^/?]*)(\?.*)?$/, '/$1_bench$2'),
    BENCH_REDIS_URL: config.redisUrl,
  });
}

const [command, ...rest] = process.argv.slice(2);
const commands = {
  start: () => start(rest),
  test: () => test(rest),
  bench: () => bench(rest),
  migrate: async () => {
    // --no-build: the image already holds the compiled code (docker-compose's migrate service)
    if (!rest.includes('--no-build')) build();
    await prepare({ ...process.env, ...secretKeyEnv() });
  },
};
const fn = commands[command];
if (!fn) {
  say(`usage: run.mjs ${Object.keys(commands).join('|')}`);
  process.exit(2);
}
try {
  await fn();
} catch (err) {
  if (err instanceof SetupError) {
    say(err.message);
    process.exit(1);
  }
  throw err;
}
