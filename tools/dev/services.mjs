// Makes sure Postgres and Redis answer at the configured URLs: starts local servers when the
// binaries are installed, installs them with apt when running as root on Debian, and otherwise
// stops with a message that says exactly what to do.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export class SetupError extends Error {}

const say = (msg) => process.stderr.write(`switchyard: ${msg}\n`);
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
export const canApt = () => isRoot() && has('apt-get') && existsSync('/etc/debian_version');

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.status !== 0) throw new SetupError(`${cmd} ${args.join(' ')} failed (exit ${r.status})`);
}

export function aptInstall(packages) {
  say(`installing ${packages.join(', ')} with apt-get (running as root on Debian)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env });
}

async function waitFor(check, seconds, what) {
  const deadline = Date.now() + seconds * 1000;
  let last;
  while (Date.now() < deadline) {
    try {
      return await check();
    } catch (err) {
      last = err;
      await sleep(250);
    }
  }
  throw new SetupError(`${what} did not become ready in ${seconds}s: ${last?.message ?? last}`);
}

// ---- PostgreSQL ----

async function pgConnect(url) {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3000 });
  await client.connect();
  return client;
}

async function pgReachable(url) {
  try {
    const client = await pgConnect(url);
    await client.end();
    return { ok: true };
  } catch (err) {
    return { ok: false, err };
  }
}

function debianClusters() {
  if (!existsSync('/etc/postgresql')) return [];
  return readdirSync('/etc/postgresql').filter((v) => existsSync(`/etc/postgresql/${v}/main`));
}

function startDebianCluster() {
  const versions = debianClusters();
  if (versions.length === 0) return false;
  const version = versions.sort((a, b) => Number(b) - Number(a))[0];
  say(`starting PostgreSQL ${version} (Debian cluster ${version}/main)`);
  run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start']);
  return true;
}

/** On a server we installed ourselves, give the postgres role the password the default URL uses. */
function setLocalPassword(url) {
  const password = decodeURIComponent(new URL(url).password || '');
  if (!password || !isRoot() || !has('runuser')) return;
  const sql = `ALTER ROLE postgres PASSWORD '${password.replace(/'/g, "''")}'`;
  spawnSync('runuser', ['-u', 'postgres', '--', 'psql', '-qc', sql], { stdio: 'ignore' });
}

export async function ensurePostgres(url) {
  const first = await pgReachable(url);
  if (first.ok) return;
  const host = new URL(url).hostname;
  const refusedLogin = first.err && /password|authentication|role .* does not exist/i.test(first.err.message);
  if (refusedLogin) {
    throw new SetupError(
      `PostgreSQL at ${host} refused the login (${first.err.message}).\n` +
        `  Set DATABASE_URL to a user that may create databases, e.g.\n` +
        `  DATABASE_URL=postgres://USER:PASSWORD@${host}:5432/switchyard`,
    );
  }
  if (!LOCAL_HOSTS.has(host)) {
    throw new SetupError(
      `PostgreSQL at ${host} does not answer (${first.err?.message}). Start it or fix DATABASE_URL.`,
    );
  }
  if (!has('pg_ctlcluster') && canApt()) aptInstall(['postgresql']);
  if (!has('pg_ctlcluster') || debianClusters().length === 0) {
    throw new SetupError(
      'PostgreSQL is not running on this machine and is not installed.\n' +
        '  Install and start it:  sudo apt-get install -y postgresql && sudo pg_ctlcluster 15 main start\n' +
        '  or point DATABASE_URL at a PostgreSQL 15+ server (or run: docker compose up -d postgres redis).',
    );
  }
  startDebianCluster();
  await waitFor(
    async () => {
      const r = await pgReachable(url);
      if (r.ok) return;
      if (/password|authentication/i.test(r.err.message)) setLocalPassword(url);
      throw r.err;
    },
    30,
    'PostgreSQL',
  );
}

/** Creates the database of `url` when missing; with `fresh`, drops it first (tests). */
export async function ensureDatabase(url, { fresh = false } = {}) {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new SetupError(`DATABASE_URL names an odd database "${name}"`);
  const client = await pgConnect(url);
  try {
    if (fresh) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name}"`);
      if (!fresh) say(`created database ${name}`);
    }
  } finally {
    await client.end();
  }
}

// ---- Redis ----

function redisPing(url) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 6379) });
    const timer = setTimeout(() => socket.destroy(new Error('timed out')), 2000);
    let reply = '';
    socket.on('connect', () => {
      const auth = u.password
        ? `AUTH ${u.username ? `${decodeURIComponent(u.username)} ` : ''}${decodeURIComponent(u.password)}\r\n`
        : '';
      socket.write(`${auth}PING\r\n`);
    });
    socket.on('data', (d) => {
      reply += d.toString();
      if (reply.includes('PONG') || reply.startsWith('-')) {
        clearTimeout(timer);
        socket.end();
        if (reply.includes('PONG')) resolve();
        else reject(new Error(reply.trim()));
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

export async function ensureRedis(url, stateDir) {
  try {
    await redisPing(url);
    return;
  } catch (err) {
    const u = new URL(url);
    if (!LOCAL_HOSTS.has(u.hostname)) {
      throw new SetupError(
        `Redis at ${u.hostname} does not answer (${err.message}). Start it or fix REDIS_URL.`,
      );
    }
    if (!has('redis-server') && canApt()) aptInstall(['redis-server']);
    if (!has('redis-server')) {
      throw new SetupError(
        'Redis is not running on this machine and is not installed.\n' +
          '  Install it:  sudo apt-get install -y redis-server   (Redis 5 or newer)\n' +
          '  or point REDIS_URL at a Redis server (or run: docker compose up -d postgres redis).',
      );
    }
    const dir = `${stateDir}/redis`;
    mkdirSync(dir, { recursive: true });
    const port = u.port || '6379';
    say(`starting redis-server on 127.0.0.1:${port}`);
    execFileSync('redis-server', [
      '--daemonize',
      'yes',
      '--bind',
      '127.0.0.1',
      '--port',
      port,
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--logfile',
      `${dir}/redis.log`,
      '--pidfile',
      `${dir}/redis.pid`,
    ]);
    await waitFor(() => redisPing(url), 15, 'Redis');
  }
}
