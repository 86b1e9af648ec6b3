import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, eventually } from '../support/http.js';
import { freePort, Proc, stackEnv, startApi } from '../support/processes.js';

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
