import { Client, eventually } from '../support/http.js';
import {
  hostAgentAvailability,
  kernelLeftovers,
  startHostAgent,
  type HostAgent,
} from '../support/host-agent.js';
import { gate } from '../support/skips.js';
import { stackEnv, startApi, startWorker, type Proc } from '../support/processes.js';
import { testEnv } from '../support/test-env.js';

const RUN = `lb${Date.now().toString(36)}`;
const RATE_CARD = { vcpuHour: '0.0080', gibRamHour: '0.0020', gibDiskMonth: '0.02' };
const { describe: describeHost } = gate(hostAgentAvailability());

// one tier serving HTTP from the host's node; each answer costs a few ms of CPU (hashing), so the
// server is CPU-bound under the load and a quarter-CPU quota caps what it answers
const blueprint = (name: string) => `apiVersion: switchyard.dev/v1
kind: Blueprint
metadata:
  name: ${name}
  version: 1.0.0
  title: CPU-bound HTTP
tiers:
  web:
    size: { cpu: 1, memoryMiB: 256 }
    image: { os: linux-host, version: root }
    ports: [8080/tcp]
    init:
      script: |
        set -eu
        mkdir -p /var/tmp/bench-web
        cat > /var/tmp/bench-web/server.mjs <<'JS'
        import { createHash } from 'node:crypto';
        import { createServer } from 'node:http';
        createServer((req, res) => {
          let h = 'x';
          for (let i = 0; i < 2000; i++) h = createHash('sha256').update(h).digest('hex');
          res.end(h.slice(0, 8) + '\\n');
        }).listen(8080, process.env.SWITCHYARD_ADDRESS);
        JS
        # the host's node, as the instance's PATH finds it in the overlay of the host's root
        node=$(command -v node) || { echo 'no node on the PATH of this host' >&2; exit 1; }
        nohup "$node" /var/tmp/bench-web/server.mjs >/var/tmp/bench-web/server.log 2>&1 &
connections:
  - { from: internet, to: web, ports: [8080/tcp] }
benchmark:
  target: web
  http: { path: /, requests: 400, concurrency: 4 }
`;

// Two candidates on the real host agent that differ only in the web tier's instance type (cgroup
// CPU quota 0.25 vs 1 CPU): measured by the worker's load generator, priced by the rate card.
describeHost('benchmarks on the Linux-host provider', () => {
  let agent: HostAgent;
  let api: Proc & { url: string };
  let worker: Proc;
  let admin: Client;
  const env = `lh-${RUN}`;
  const bp = `cpu-web-${RUN}`;
  const benchmarks: string[] = [];
  const orders: string[] = [];
  const deploymentOf = async (id: string) => (await admin.get(`/api/v1/deployments/${id}`)).body;

  beforeAll(async () => {
    agent = await startHostAgent('b');
    const e = await stackEnv({ RECONCILE_INTERVAL_MS: '0' });
    api = await startApi(e);
    worker = await startWorker(e);
    admin = new Client(api.url, testEnv().SWITCHYARD_ADMIN_TOKEN);
    const account = await admin.post('/api/v1/cloud-accounts', {
      name: `lh-${RUN}`,
      provider: 'linux-host',
      settings: { agentUrl: agent.url },
      credentials: { token: agent.token },
    });
    if (account.status !== 201) throw new Error(`the account: ${account.text}`);
    expect((await admin.post(`/api/v1/cloud-accounts/${account.body.id}/sync`)).status).toBe(202);
    await eventually(
      async () => (await admin.get(`/api/v1/cloud-accounts/${account.body.id}`)).body.syncedAt,
      60_000,
      'the account to sync',
    );
    const created = await admin.post('/api/v1/environments', {
      name: env,
      account: account.body.id,
      region: 'local',
      // its own address block: other Linux-host files on this host use 10.150-249
      placement: { addressPool: `10.${100 + (process.pid % 50)}.0.0/16` },
      images: [{ os: 'linux-host', version: 'root', imageId: 'host-root' }],
      // no sizes listed: the rate card prices the agent's instance types the sync finds
      priceList: { currency: 'USD', source: 'test rate card', date: '2026-12-01', rateCard: RATE_CARD },
    });
    if (created.status !== 201) throw new Error(`the environment: ${created.text}`);
    expect(
      (await admin.post('/api/v1/blueprints', blueprint(bp), { 'content-type': 'application/yaml' })).status,
    ).toBe(201);
    expect((await admin.post(`/api/v1/blueprints/${bp}/versions/1.0.0/publish`)).status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    // whatever a failed test left goes through Switchyard first: benchmarks cancelled (their
    // candidates' deployments are terminated by the benchmark), orders terminated
    if (admin) {
      for (const id of benchmarks) await admin.delete(`/api/v1/benchmarks/${id}`);
      await Promise.allSettled(
        benchmarks.map((id) =>
          eventually(
            async () => (await admin.get(`/api/v1/benchmarks/${id}`)).body.endedAt,
            180_000,
            `benchmark ${id} to end`,
          ),
        ),
      );
      for (const id of orders) await admin.post(`/api/v1/deployments/${id}/actions`, { action: 'terminate' });
      await Promise.allSettled(
        orders.map((id) =>
          eventually(
            async () => ['terminated', 'failed'].includes((await deploymentOf(id)).state),
            180_000,
            `deployment ${id} to end`,
          ),
        ),
      );
    }
    await worker?.stop();
    await api?.stop();
    const left = agent ? await kernelLeftovers(agent.prefix, agent.stateDir) : [];
    // stop() removes whatever is left with the agent's prefix, so a failure here leaves nothing
    await agent?.stop();
    expect(left).toEqual([]);
  }, 420_000);

  it('the 1-CPU candidate interval lies above the quarter-CPU one; cost follows the rate card; best-value orders follow the ranking', async () => {
    // the agent's sizes as the sync found them, priced by the rate card
    const started = await admin.post('/api/v1/benchmarks', {
      blueprint: bp,
      runs: 5,
      // a fixed time per run: enough answers from the quarter-CPU server for a steady rate
      load: { warmupSeconds: 2, durationSeconds: 3 },
      candidates: [
        { placement: { default: env }, instanceTypes: { web: 'lh.quarter' } },
        { placement: { default: env }, instanceTypes: { web: 'lh.1' } },
      ],
    });
    if (started.status !== 202) throw new Error(`the benchmark: ${started.text}`);
    benchmarks.push(started.body.id as string);
    const b = await eventually(
      async () => {
        const got = (await admin.get(`/api/v1/benchmarks/${started.body.id}`)).body;
        return got.endedAt ? got : undefined;
      },
      300_000,
      'the benchmark to end',
    );
    expect(b.state).toBe('completed');
    const [small, large] = b.candidates;
    expect(b.candidates.map((c: { state: string; reason: string | null }) => [c.state, c.reason])).toEqual([
      ['measured', null],
      ['measured', null],
    ]);
    expect([small.instanceTypes, large.instanceTypes]).toEqual([{ web: 'lh.quarter' }, { web: 'lh.1' }]);
    expect([small.runsDone, large.runsDone]).toEqual([5, 5]);
    const s = small.result.throughput;
    const l = large.result.throughput;
    // the figures of this run (each run's req/s, then the mean with its interval), for the log
    const samples = (await admin.get(`/api/v1/benchmarks/${b.id}/samples`)).body as {
      metric: string;
      value: number;
      metadata: { candidate: number };
    }[];
    const runsOf = (i: number) =>
      samples.filter((x) => x.metric === 'throughput' && x.metadata.candidate === i).map((x) => x.value);
    console.log(
      [small, large]
        .map(
          (c, i) =>
            `${c.label}: ${c.result.throughput.mean.toFixed(1)} req/s (95% CI ` +
            `${c.result.throughput.interval.low.toFixed(1)}–${c.result.throughput.interval.high.toFixed(1)}; ` +
            `runs ${runsOf(i).join(', ')}), $${c.cost.hourly.amount}/h, ` +
            `${c.result.perDollarHour.mean.toFixed(0)} req/s per $/h`,
        )
        .join('\n'),
    );
    // the acceptance's one comparison: the larger quota's interval lies wholly above the smaller's
    expect(l.interval.low).toBeGreaterThan(s.interval.high);
    expect([small.result.errorRate, large.result.errorRate]).toEqual([0, 0]);
    // cost per hour is the rate card's: vCPU-hours + GiB-hours (0.25 vCPU and 0.25 GiB, 1 and 1)
    const hourly = (vcpus: number, gib: number) =>
      vcpus * Number(RATE_CARD.vcpuHour) + gib * Number(RATE_CARD.gibRamHour);
    expect(Number(small.cost.hourly.amount)).toBeCloseTo(hourly(0.25, 0.25), 9);
    expect(Number(large.cost.hourly.amount)).toBeCloseTo(hourly(1, 1), 9);
    // price/performance is throughput over the hourly cost, its interval the throughput's
    for (const c of [small, large]) {
      const cost = Number(c.cost.hourly.amount);
      expect(c.result.perDollarHour.mean).toBeCloseTo(c.result.throughput.mean / cost, 3);
      expect(c.result.perDollarHour.interval.low).toBeCloseTo(c.result.throughput.interval.low / cost, 3);
      expect(c.result.perDollarHour.interval.high).toBeCloseTo(c.result.throughput.interval.high / cost, 3);
    }
    // the ranking follows from those figures
    expect(b.ranking.fastest).toMatchObject({ candidate: 1, runnerUp: 0, significant: true });
    const bestValue = small.result.perDollarHour.mean > large.result.perDollarHour.mean ? 0 : 1;
    const [sv, lv] = [small.result.perDollarHour.interval, large.result.perDollarHour.interval];
    expect(b.ranking.bestValue).toMatchObject({
      candidate: bestValue,
      runnerUp: 1 - bestValue,
      significant: sv.high < lv.low || lv.high < sv.low,
    });
    // every candidate deployment is gone, and its instance with it
    for (const c of b.candidates) expect((await deploymentOf(c.deploymentId)).state).toBe('terminated');
    expect(await agent.adapter().listManagedInstances()).toEqual([]);

    // an order placed by best-value gets the ranking's winner (its environment and instance type)
    const order = await admin.post('/api/v1/orders', {
      blueprint: bp,
      name: `by-value-${RUN}`,
      placement: { strategy: 'best-value', among: [env] },
    });
    if (order.status !== 202) throw new Error(`the order: ${order.text}`);
    orders.push(order.body.id as string);
    const winner = b.candidates[bestValue];
    const d = await deploymentOf(order.body.id);
    expect(d.placement.default).toBe(env);
    expect(d.placement.choice.instanceTypes).toEqual(winner.instanceTypes);
    expect(d.tiers[0].instanceType).toBe(winner.instanceTypes.web);
    expect(d.placement.choice.reason).toMatch(
      new RegExp(`^${winner.label.replace(/[().]/g, '\\$&')}: [\\d,.]+ \\(95% CI`),
    );
    await eventually(
      async () => (await deploymentOf(order.body.id)).state === 'running',
      120_000,
      'the order to run',
    );
    expect(
      (await admin.post(`/api/v1/deployments/${order.body.id}/actions`, { action: 'terminate' })).status,
    ).toBe(202);
    await eventually(
      async () => (await deploymentOf(order.body.id)).state === 'terminated',
      120_000,
      'the order to end',
    );
    // nothing of the candidates or the order is left: no instance, and no kernel object of the agent
    expect(await agent.adapter().listManagedInstances()).toEqual([]);
    expect(await kernelLeftovers(agent.prefix, agent.stateDir)).toEqual([]);

    // samples in PerfKitBenchmarker's shape: 6 metrics per run
    expect(samples).toHaveLength(2 * 5 * 6);
    expect(samples[0]).toEqual({
      metric: 'throughput',
      value: expect.any(Number),
      unit: 'requests/s',
      metadata: expect.objectContaining({ benchmark_id: b.id, candidate: 0 }),
      timestamp: expect.any(Number),
    });
  }, 420_000);
});
