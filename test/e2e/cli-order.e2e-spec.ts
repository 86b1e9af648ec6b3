import { startMoto } from '../integration/cloud/support/moto.peer.js';
import { startVcsim } from '../integration/cloud/support/vcsim.peer.js';
import type { CloudPeer } from '../integration/cloud/support/cloud-peer.js';
import { Client } from '../support/http.js';
import { stackEnv, startApi, startWorker, type Proc } from '../support/processes.js';
import { createSimulatedClouds, type SimulatedClouds } from '../support/simulated-clouds.js';
import { runSyd } from '../support/syd.js';
import { testEnv } from '../support/test-env.js';

const ADMIN = testEnv().SWITCHYARD_ADMIN_TOKEN;
const RUN = Date.now().toString(36);

describe('syd order create --wait against the running stack', () => {
  let moto: CloudPeer;
  let vcsim: CloudPeer;
  let api: Proc & { url: string };
  let worker: Proc;
  let admin: Client;
  let clouds: SimulatedClouds;
  let env: Record<string, string>;

  beforeAll(async () => {
    [moto, vcsim] = await Promise.all([startMoto(), startVcsim()]);
    const stack = await stackEnv({ WORKER_CONCURRENCY: '4' });
    api = await startApi(stack);
    worker = await startWorker(stack);
    admin = new Client(api.url, ADMIN);
    clouds = await createSimulatedClouds(admin, moto, vcsim, `cli-${RUN}`);
    env = { SWITCHYARD_URL: api.url, SWITCHYARD_TOKEN: ADMIN };
  }, 180_000);

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await Promise.all([moto?.stop(), vcsim?.stop()]);
  });

  it('prints each step in order with its time, what enforces each tier policy, and the cost', async () => {
    const ordered = await runSyd(
      [
        'order',
        'create',
        'three-tier-shop@^1.2',
        '--env',
        clouds.vsphere,
        '-p',
        'appCount=2',
        '-p',
        'dbPassword=cli-order-secret',
        '--name',
        `cli-wait-${RUN}`,
        '--wait',
      ],
      env,
    );
    expect(ordered.code).toBe(0);
    const [first = ''] = ordered.stdout.split('\n');
    const [id, state] = first.split(' ');
    expect(state).toBe('running');

    // the steps, each once, in the order they ran, each with a time
    const steps = ordered.stderr
      .split('\n')
      .filter((line) => /^(network|provision|configure|running)\s/.test(line));
    expect(steps.map((line) => line.split(/\s+/)[0])).toEqual([
      'network',
      'provision',
      'configure',
      'running',
    ]);
    for (const line of steps.slice(0, 3))
      expect(line).toMatch(/ done in \d+\.\ds {2}\(\d+\.\ds since the order\)$/);
    expect(steps[3]).toMatch(/^running\s+reached after \d+\.\ds$/);

    // vSphere filters nothing: each tier's rules, the deny-all among them, are enforced in the guest only
    const policies = ordered.stderr.split('\n').filter((line) => line.startsWith('policy: '));
    expect(policies.map((line) => line.split(' ')[1]).sort()).toEqual(['app', 'db', 'web']);
    for (const line of policies) {
      expect(line).toMatch(
        / rules, 0 by the security group and nftables in the guest; in the guest only \(nftables\): /,
      );
      expect(line).toContain(
        'deny-all: deny in any protocol from anywhere (a vSphere port group filters no traffic',
      );
    }
    expect(ordered.stderr).not.toContain('warning: ');

    // the cost of what runs, hourly to 4 decimals and monthly to the cent, as the API says
    const { body: d } = await admin.get(`/api/v1/deployments/${id}`);
    const cost = `cost: ${Number(d.cost.hourly.amount).toFixed(4)} USD/hour, ${Number(d.cost.monthly.amount).toFixed(2)} USD/month`;
    expect(ordered.stdout.split('\n')).toContain(cost);
    expect(Number(d.cost.hourly.amount)).toBeGreaterThan(0);

    const gone = await runSyd(['deployment', 'terminate', id!, '--wait'], env);
    expect(gone.stdout.trim()).toBe(`${id} terminated`);
  }, 240_000);
});
