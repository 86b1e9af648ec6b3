import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, eventually } from '../support/http.js';
import { freePort, Proc, stackEnv, startApi } from '../support/processes.js';
import { testEnv } from '../support/test-env.js';

describe('/health/ready follows its dependencies', () => {
  let redis: Proc;
  let api: Proc & { url: string };

  beforeAll(async () => {
    // a Redis of this test's own, so that stopping it touches nothing else
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'syd-redis-'));
    redis = new Proc(
      'redis',
      spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      ),
    );
    await redis.waitForLog(/Ready to accept connections/);
    api = await startApi(await stackEnv({ REDIS_URL: `redis://127.0.0.1:${port}` }));
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
    await redis?.stop();
  });

  it('is 200 with both up, 503 naming Redis once it is gone, while liveness stays 200', async () => {
    const client = new Client(api.url);
    const up = await client.get('/health/ready');
    expect(up.status).toBe(200);
    expect(up.body).toEqual({
      status: 'ok',
      checks: { postgres: { status: 'up' }, redis: { status: 'up' } },
    });

    await redis.kill9();
    const down = await eventually(
      async () => {
        const res = await client.get('/health/ready');
        return res.status === 503 && res;
      },
      10_000,
      'readiness to fail',
    );
    expect(down.body.status).toBe('unavailable');
    expect(down.body.checks.postgres).toEqual({ status: 'up' });
    expect(down.body.checks.redis.status).toBe('down');
    expect(down.body.checks.redis.error).toEqual(expect.any(String));
    expect((await client.get('/health/live')).status).toBe(200);
  }, 30_000);
});

describe('/health/live answers while Postgres and Redis are both gone', () => {
  let redis: Proc;
  let api: Proc & { url: string };
  let postgres: { server: Server; sockets: Set<Socket>; port: number };

  beforeAll(async () => {
    // the API reaches Postgres through a TCP relay of this test's own: closing it is Postgres gone
    // for this API alone, and a Redis of its own that can be killed
    const target = new URL(testEnv().DATABASE_URL);
    const sockets = new Set<Socket>();
    const server = createServer((client) => {
      const upstream = createConnection(Number(target.port || 5432), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => s.destroy());
        s.on('close', () => sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const port = (server.address() as { port: number }).port;
    postgres = { server, sockets, port };
    const redisPort = await freePort();
    redis = new Proc(
      'redis',
      spawn(
        'redis-server',
        ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { cwd: mkdtempSync(join(tmpdir(), 'syd-redis-')), stdio: ['ignore', 'pipe', 'pipe'] },
      ),
    );
    await redis.waitForLog(/Ready to accept connections/);
    const viaRelay = new URL(target);
    viaRelay.hostname = '127.0.0.1';
    viaRelay.port = String(port);
    api = await startApi(
      await stackEnv({ DATABASE_URL: viaRelay.toString(), REDIS_URL: `redis://127.0.0.1:${redisPort}` }),
    );
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
    await redis?.stop();
    postgres?.server.close();
    for (const s of postgres?.sockets ?? []) s.destroy();
  });

  it('is 200 and quick with both gone, while readiness names both', async () => {
    const client = new Client(api.url);
    expect((await client.get('/health/ready')).status).toBe(200);

    postgres.server.close();
    for (const s of postgres.sockets) s.destroy();
    await redis.kill9();
    const down = await eventually(
      async () => {
        const res = await client.get('/health/ready');
        return res.status === 503 && res.body.checks.postgres.status === 'down' && res;
      },
      20_000,
      'readiness to name Postgres and Redis down',
    );
    expect(down.body).toMatchObject({
      status: 'unavailable',
      checks: { postgres: { status: 'down' }, redis: { status: 'down' } },
    });

    // liveness touches neither: answered at once, however long the dependencies take to fail
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const live = await client.get('/health/live');
      expect(live.status).toBe(200);
      expect(performance.now() - started).toBeLessThan(500);
    }
  }, 40_000);
});
