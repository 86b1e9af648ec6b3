// Orders end to end on the simulated clouds: `npm run bench:deployments` (BENCH_ORDERS=200).
// Prints orders accepted per second, p50/p99 time from order to running, and Switchyard's own
// overhead per deployment (step time not spent waiting on a cloud call), and where it goes per step.
import os from 'node:os';
import { CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import pg from 'pg';
import { startMoto } from '../test/integration/cloud/support/moto.peer.js';
import { startVcsim } from '../test/integration/cloud/support/vcsim.peer.js';
import { reportFigure } from './support/figures.js';
import { BENCH_TOKEN, freshDatabase, startApi, startWorker } from './support/stack.js';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 200);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 16);
const PORT = 3901;

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (n: number) => `${n.toFixed(0)} ms`;

async function post(path: string, body: unknown): Promise<{ status: number; body: { id: string } }> {
  const res = await fetch(`http://127.0.0.1:${PORT}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${BENCH_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { id: string } };
}

const [moto, vcsim] = await Promise.all([startMoto(), startVcsim()]);
const databaseUrl = await freshDatabase();
const api = await startApi(databaseUrl, PORT);
const worker = startWorker(databaseUrl, { WORKER_CONCURRENCY: '16', RECONCILE_INTERVAL_MS: '0' });
const db = new pg.Client({ connectionString: databaseUrl });
await db.connect();
try {
  // a VPC of its own: 200 deployments need 200 /24s, more than moto's default VPC has free
  const ec2 = new EC2Client({
    region: 'eu-west-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'AKIDSWITCHYARDTEST', secretAccessKey: 'switchyard-test-secret' },
  });
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.128.0.0/16' }));
  ec2.destroy();
  const aws = await post('/api/v1/cloud-accounts', {
    name: 'aws',
    provider: 'aws-ec2',
    settings: {
      region: 'eu-west-1',
      endpoint: moto.endpoint,
      imageOwners: ['amazon'],
      vpcId: vpc.Vpc?.VpcId,
    },
    credentials: { accessKeyId: 'AKIDSWITCHYARDTEST', secretAccessKey: 'switchyard-test-secret' },
  });
  const vs = await post('/api/v1/cloud-accounts', {
    name: 'vs',
    provider: 'vsphere',
    settings: { url: vcsim.endpoint, caCert: vcsim.caCert },
    credentials: { username: 'switchyard', password: 'vcsim-secret' },
  });
  const price = (name: string, cpu: number, memoryMiB: number, hourlyPrice: string) => ({
    name,
    cpu,
    memoryMiB,
    hourlyPrice,
  });
  await post('/api/v1/environments', {
    name: 'aws',
    account: aws.body.id,
    region: 'eu-west-1',
    placement: { addressPool: '10.128.0.0/16' },
    images: [{ os: 'ubuntu', version: '22.04', imageId: moto.fixtures.image }],
    priceList: {
      currency: 'USD',
      source: 'bench',
      date: '2026-11-01',
      instanceTypes: [price('t3.medium', 2, 4096, '0.0416'), price('m5.xlarge', 4, 16384, '0.192')],
    },
  });
  await post('/api/v1/environments', {
    name: 'vs',
    account: vs.body.id,
    // 200 deployments need 200 /24s per environment
    placement: { addressPool: '10.64.0.0/14' },
    images: [{ os: 'ubuntu', version: '22.04', imageId: vcsim.fixtures.image }],
    priceList: {
      currency: 'USD',
      source: 'bench',
      date: '2026-11-01',
      instanceTypes: [price('medium', 2, 4096, '0.02'), price('large', 4, 8192, '0.04')],
    },
  });

  console.log(
    `Switchyard deployments bench: ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}; ` +
      `${ORDERS} three-tier orders (web+app on moto, db on vcsim), ${IN_FLIGHT} order requests in flight`,
  );
  const ids: string[] = [];
  const acceptStart = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < ORDERS) {
        const i = next++;
        const res = await post('/api/v1/orders', {
          blueprint: 'three-tier-shop',
          name: `bench-${i}`,
          parameters: { dbPassword: 'bench-secret', appCount: 1 },
          placement: { default: 'aws', tiers: { db: 'vs' } },
        });
        if (res.status !== 202) throw new Error(`order ${i}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
        ids.push(res.body.id);
      }
    }),
  );
  const acceptSeconds = (performance.now() - acceptStart) / 1000;
  console.log(
    `orders accepted: ${ORDERS} in ${acceptSeconds.toFixed(2)} s = ${(ORDERS / acceptSeconds).toFixed(1)} orders/s`,
  );

  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM deployments WHERE step = 'done' AND state IN ('running', 'failed')`,
    );
    if (rows[0].n >= ORDERS) break;
    if (Date.now() > deadline) throw new Error('deployments did not settle in 30 minutes');
    await new Promise((r) => setTimeout(r, 1000));
  }
  const { rows } = await db.query(
    `SELECT d.state, extract(epoch FROM d.running_at - d.created_at) * 1000 AS to_running,
            (SELECT sum((e.data->>'stepMs')::int - (e.data->>'cloudMs')::int) FROM deployment_events e
              WHERE e.deployment_id = d.id AND e.data ? 'stepMs') AS overhead,
            (SELECT sum((e.data->>'cloudMs')::int) FROM deployment_events e
              WHERE e.deployment_id = d.id AND e.data ? 'cloudMs') AS cloud
       FROM deployments d`,
  );
  const running = rows.filter((r) => r.state === 'running');
  const toRunning = running.map((r) => Number(r.to_running)).sort((a, b) => a - b);
  const overhead = rows.map((r) => Number(r.overhead)).sort((a, b) => a - b);
  const cloud = rows.map((r) => Number(r.cloud)).sort((a, b) => a - b);
  const wall = (performance.now() - acceptStart) / 1000;
  console.log(
    `settled: ${running.length} running, ${rows.length - running.length} failed, all in ${wall.toFixed(1)} s`,
  );
  console.log(`order -> running:        p50 ${ms(pct(toRunning, 50))}   p99 ${ms(pct(toRunning, 99))}`);
  console.log(
    `Switchyard overhead/dep: p50 ${ms(pct(overhead, 50))}   p99 ${ms(pct(overhead, 99))}   (step time not waiting on clouds)`,
  );
  console.log(`cloud wait/dep:          p50 ${ms(pct(cloud, 50))}   p99 ${ms(pct(cloud, 99))}`);
  // where Switchyard's own time goes, step by step (over every deployment's runs of that step)
  const steps = await db.query<{ step: string; n: number; p50: number; p99: number; cloud50: number }>(
    `SELECT e.data->>'step' AS step, count(*)::int AS n,
            percentile_disc(0.5) WITHIN GROUP (ORDER BY (e.data->>'stepMs')::int - (e.data->>'cloudMs')::int) AS p50,
            percentile_disc(0.99) WITHIN GROUP (ORDER BY (e.data->>'stepMs')::int - (e.data->>'cloudMs')::int) AS p99,
            percentile_disc(0.5) WITHIN GROUP (ORDER BY (e.data->>'cloudMs')::int) AS cloud50
       FROM deployment_events e WHERE e.data ? 'stepMs'
      GROUP BY 1 ORDER BY min(e.created_at)`,
  );
  for (const r of steps.rows)
    console.log(
      `  step ${r.step.padEnd(12)} ${String(r.n).padStart(5)} runs   own p50 ${ms(r.p50)}   p99 ${ms(r.p99)}   cloud p50 ${ms(r.cloud50)}`,
    );
  reportFigure({
    name: `deployment own time p50 (${ORDERS} orders)`,
    value: pct(overhead, 50),
    unit: 'ms',
    goal: { atMost: 100 },
  });
  reportFigure({
    name: `deployment own time p99 (${ORDERS} orders)`,
    value: pct(overhead, 99),
    unit: 'ms',
    goal: { atMost: 250 },
  });
  reportFigure({
    name: `deployments not running (${ORDERS} orders)`,
    value: rows.length - running.length,
    unit: '',
    goal: { atMost: 0 },
  });
  reportFigure({ name: 'orders accepted', value: ORDERS / acceptSeconds, unit: 'orders/s' });
} finally {
  await db.end();
  worker.kill('SIGTERM');
  api.kill('SIGTERM');
  await Promise.all([moto.stop(), vcsim.stop()]);
}
