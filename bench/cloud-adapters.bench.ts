// Cloud adapter overhead and parallel creates on the real peers:
//   node_modules/.bin/tsx bench/cloud-adapters.bench.ts   (after `npx tsc -b tsconfig.build.json`)
// 1. per create/describe/terminate: the adapter against the bare AWS SDK on the same moto, in the
//    same run, interleaved (the ratio is the adapter's price: idempotency look-up, tags, mapping);
// 2. 50 parallel creates (then terminates) per cloud: moto, vcsim, and OpenStack if OS_AUTH_URL answers.
// Peers are started here on free ports and stopped by PID afterwards.
import {
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  AwsEc2Adapter,
  OpenStackAdapter,
  switchyardTags,
  type CloudAdapter,
  type CreateInstanceRequest,
} from '@switchyard/cloud-adapters';
import os from 'node:os';
import { startVcsim } from '../test/integration/cloud/support/vcsim.peer.js';
import { PeerProcess, freePort, isUp, waitUntil } from '../test/integration/cloud/support/spawn-peer.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const PARALLEL = Number(process.env.BENCH_PARALLEL ?? 50);
const region = 'us-east-1';
const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' };

const ms = (t0: number) => performance.now() - t0;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const f1 = (n: number) => n.toFixed(1);
const median = (xs: number[]) => pct(xs, 50);

async function timed<T>(into: number[], fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await fn();
  into.push(ms(t0));
  return out;
}

/** Adapter vs bare SDK per operation on moto, interleaved round by round. */
async function overhead(endpoint: string): Promise<void> {
  const adapter = new AwsEc2Adapter({ region, endpoint, credentials, imageOwners: ['amazon'] });
  const sdk = new EC2Client({ region, endpoint, credentials, maxAttempts: 1 });
  const image = (await adapter.listImages())[0]?.id ?? 'ami-missing';
  const net = await adapter.ensureNetwork({ name: 'bench-net', cidr: '172.31.210.0/24' });
  const t = {
    bare: { c: [] as number[], d: [] as number[], t: [] as number[] },
    ad: { c: [] as number[], d: [] as number[], t: [] as number[] },
  };
  for (let i = 0; i < ROUNDS + 3; i++) {
    const keep = i >= 3; // three warm-up rounds
    const bare = keep ? t.bare : { c: [], d: [], t: [] };
    const ad = keep ? t.ad : { c: [], d: [], t: [] };
    const run = await timed(bare.c, () =>
      sdk.send(
        new RunInstancesCommand({
          ImageId: image,
          InstanceType: 't3.micro',
          MinCount: 1,
          MaxCount: 1,
          SubnetId: net.id,
          ClientToken: `bare-${i}-${Date.now()}`,
          TagSpecifications: [
            {
              ResourceType: 'instance',
              Tags: Object.entries(switchyardTags('bench', 'bare', i)).map(([Key, Value]) => ({
                Key,
                Value,
              })),
            },
          ],
        }),
      ),
    );
    const id = run.Instances?.[0]?.InstanceId ?? '';
    await timed(bare.d, () => sdk.send(new DescribeInstancesCommand({ InstanceIds: [id] })));
    await timed(bare.t, () => sdk.send(new TerminateInstancesCommand({ InstanceIds: [id] })));
    const vm = await timed(ad.c, () =>
      adapter.createInstance({
        idempotencyKey: `adapter-${i}-${Date.now()}`,
        name: `bench-${i}`,
        instanceType: 't3.micro',
        image,
        network: net.id,
        tags: switchyardTags('bench', 'adapter', i),
      }),
    );
    await timed(ad.d, () => adapter.describeInstance(vm.id));
    await timed(ad.t, () => adapter.terminateInstance(vm.id));
  }
  console.log(
    `\nAdapter overhead on moto (${ROUNDS} rounds after 3 warm-up, median ms; ratio = adapter / bare SDK)`,
  );
  console.log('  operation   bare SDK   adapter   ratio   (adapter p95)');
  for (const [label, key] of [
    ['create', 'c'],
    ['describe', 'd'],
    ['terminate', 't'],
  ] as const) {
    const b = median(t.bare[key]);
    const a = median(t.ad[key]);
    console.log(
      `  ${label.padEnd(10)} ${f1(b).padStart(8)}  ${f1(a).padStart(8)}  ${(a / b).toFixed(2).padStart(6)}   ${f1(pct(t.ad[key], 95))}`,
    );
  }
  await adapter.close();
  sdk.destroy();
}

/** PARALLEL creates at once through the adapter, then as many terminates. */
async function parallel(
  name: string,
  adapter: CloudAdapter,
  base: Omit<CreateInstanceRequest, 'idempotencyKey' | 'name' | 'tags'>,
): Promise<void> {
  const run = `p${Date.now().toString(36)}`;
  const lat: number[] = [];
  const t0 = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: PARALLEL }, (_, i) =>
      timed(lat, () =>
        adapter.createInstance({
          ...base,
          idempotencyKey: `${run}-${i}`,
          name: `${run}-${i}`,
          tags: switchyardTags(run, 'bench', i),
        }),
      ),
    ),
  );
  const wall = ms(t0);
  const made = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
  const found = await adapter.describeInstances({ 'switchyard:deployment': run });
  const t1 = performance.now();
  await Promise.allSettled(made.map((vm) => adapter.terminateInstance(vm.id)));
  const termWall = ms(t1);
  console.log(
    `  ${name.padEnd(10)} ${PARALLEL} creates: ${f1(wall)} ms wall (${f1((PARALLEL * 1000) / wall)}/s), ` +
      `per call p50 ${f1(pct(lat, 50))} / p95 ${f1(pct(lat, 95))} ms, ok ${made.length}, failed ${failed.length}` +
      `${failed[0] ? ` (${String((failed[0].reason as Error).message).slice(0, 80)})` : ''}; ` +
      `found by tag ${found.length}; ${made.length} terminates ${f1(termWall)} ms wall`,
  );
}

const port = await freePort();
const motoUrl = `http://127.0.0.1:${port}`;
const moto = PeerProcess.start('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)]);
delete process.env.VCSIM_URL; // this bench's own vcsim, with a fresh inventory
let vcsim: Awaited<ReturnType<typeof startVcsim>> | undefined;
try {
  await waitUntil('moto', () => isUp(`${motoUrl}/moto-api/`), 30_000);
  vcsim = await startVcsim();
  console.log(
    `Cloud adapters bench: ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}, Node ${process.version}`,
  );
  await overhead(motoUrl);

  console.log(`\n${PARALLEL} parallel creates per cloud (through the adapter, default retry policy)`);
  const aws = new AwsEc2Adapter({ region, endpoint: motoUrl, credentials, imageOwners: ['amazon'] });
  const awsNet = await aws.ensureNetwork({ name: 'bench-par', cidr: '172.31.220.0/24' });
  const ami = (await aws.listImages())[0]?.id ?? 'ami-missing';
  await parallel('moto', aws, { instanceType: 't3.micro', image: ami, network: awsNet.id });
  await aws.close();

  const vs = vcsim.adapter();
  const vsNet = await vs.ensureNetwork({ name: 'bench-pg', cidr: '10.44.0.0/24', vlan: 44 });
  await parallel('vcsim', vs, { instanceType: 'small', image: 'tmpl-linux', network: vsNet.id });
  await vs.close();

  const authUrl = (process.env.OS_AUTH_URL ?? 'http://127.0.0.1:5000/v3').replace(/\/$/, '');
  if (await isUp(authUrl)) {
    const osa = new OpenStackAdapter({
      authUrl,
      credentials: {
        kind: 'password',
        username: process.env.OS_USERNAME ?? 'admin',
        password: process.env.OS_PASSWORD ?? 'secret',
        project: process.env.OS_PROJECT_NAME ?? 'admin',
      },
      vlanPhysicalNetwork: 'physnet1',
    });
    const images = await osa.listImages();
    const net = await osa.ensureNetwork({ name: 'bench-os', cidr: '10.45.0.0/24', vlan: 145 });
    await parallel('openstack', osa, {
      instanceType: 'm1.tiny',
      image: images[0]?.id ?? 'none',
      network: net.id,
    });
    await osa.close();
  } else {
    console.log(
      `  openstack  skipped: nothing answers at ${authUrl} (start it with tools/peers/up.sh openstack)`,
    );
  }
} finally {
  await vcsim?.stop();
  await moto.stop();
}
