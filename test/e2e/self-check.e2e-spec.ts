import { ALL_QUEUES } from '@switchyard/core/queue';
import { Client, eventually } from '../support/http.js';
import { stackEnv, startApi, startWorker, type Proc } from '../support/processes.js';
import { testEnv } from '../support/test-env.js';

describe('admin self-check: a round trip through the API and the worker', () => {
  let api: Proc & { url: string };
  let worker: Proc | undefined;
  let admin: Client;
  let env: Record<string, string>;

  beforeAll(async () => {
    env = await stackEnv();
    api = await startApi(env);
    admin = new Client(api.url, testEnv().SWITCHYARD_ADMIN_TOKEN);
  }, 60_000);

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
  });

  it('queues a check, which waits for a worker, then holds the worker verdict', async () => {
    const queued = await admin.post('/api/v1/admin/self-check');
    expect(queued.status).toBe(202);
    expect(queued.headers.get('location')).toBe(`/api/v1/admin/self-check/${queued.body.id}`);
    expect(queued.body).toMatchObject({ status: 'queued', result: null });

    // no worker yet: it stays queued, and the queue depth shows it. Looked at after a while, not at
    // once: a worker runs this check in well under a second (the end of this test shows it)
    await new Promise((r) => setTimeout(r, 3_000));
    const metrics = await admin.as(undefined).get('/metrics');
    expect(metrics.text).toMatch(/switchyard_queue_jobs\{queue="admin",state="waiting"\} 1\n/);
    expect((await admin.get(`/api/v1/admin/self-check/${queued.body.id}`)).body).toMatchObject({
      status: 'queued',
      result: null,
      completedAt: null,
    });

    worker = await startWorker(env);
    const workerUp = Date.now();
    const done = await eventually(
      async () => {
        const res = await admin.get(`/api/v1/admin/self-check/${queued.body.id}`);
        return res.body.status !== 'queued' && res.body;
      },
      20_000,
      'the self-check to finish',
    );

    // the wait above was for a worker: with one, the check is done within that time
    expect(Date.now() - workerUp).toBeLessThan(3_000);
    expect(done.status).toBe('passed');
    expect(done.workerId).toMatch(/:\d+$/);
    expect(done.completedAt).not.toBeNull();
    const checks = done.result.checks as { name: string; status: string; details: Record<string, unknown> }[];
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['postgres', 'pass'],
      ['redis', 'pass'],
      ['queues', 'pass'],
    ]);
    expect(checks[0]!.details.pendingMigrations).toEqual([]);
    // every queue of the catalogue, whichever features add queues
    expect(checks[2]!.details.queues).toEqual(
      ALL_QUEUES.map((name) => expect.objectContaining({ name, workers: 1, paused: false })),
    );

    const after = await admin.as(undefined).get('/metrics');
    expect(after.text).toMatch(/switchyard_queue_jobs_finished_total\{queue="admin",outcome="completed"\} 1/);
  }, 60_000);

  it('is for admins, and 404s for an unknown id', async () => {
    const res = await admin.get('/api/v1/admin/self-check/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
    expect(res.body.message).toMatch(/self-check/);
  });
});
