import { TAG_IDEMPOTENCY_KEY, type CloudInstance } from '@switchyard/cloud-adapters';
import type pg from 'pg';
import type { FaultProxy, SeenRequest } from '../integration/cloud/support/fault-proxy.js';
import { startMoto } from '../integration/cloud/support/moto.peer.js';
import { startVcsim } from '../integration/cloud/support/vcsim.peer.js';
import type { CloudPeer } from '../integration/cloud/support/cloud-peer.js';
import { CloudInspector, compactId } from '../support/cloud-inspector.js';
import { testDb } from '../support/db.js';
import { ExecutionTrace, workerIdOf } from '../support/execution-trace.js';
import { Client, eventually } from '../support/http.js';
import { stackEnv, startApi, startWorker, type Proc } from '../support/processes.js';
import { createSimulatedClouds, type SimulatedClouds } from '../support/simulated-clouds.js';
import { testEnv } from '../support/test-env.js';

const RUN = `c${Date.now().toString(36)}`;
const DEPLOYMENTS = 20;
const ec2 = (r: SeenRequest) => new URLSearchParams(r.body);
const isCreate = (r: SeenRequest) => ec2(r).get('Action') === 'RunInstances';

describe('deployments survive a worker killed -9 again and again', () => {
  let moto: CloudPeer;
  let vcsim: CloudPeer;
  let aws: FaultProxy;
  let vsphere: FaultProxy;
  let api: Proc & { url: string };
  let env: Record<string, string>;
  const workers: Proc[] = [];
  let admin: Client;
  let db: pg.Client;
  let clouds: SimulatedClouds;
  let look: CloudInspector;
  let trace: ExecutionTrace;

  beforeAll(async () => {
    [moto, vcsim] = await Promise.all([startMoto(), startVcsim()]);
    // the accounts reach the clouds through proxies, which see every call (and hold back one answer)
    aws = (await moto.adapterThroughProxy({})).proxy;
    vsphere = (await vcsim.adapterThroughProxy({})).proxy;
    // short locks: a killed worker's steps come back within seconds
    env = await stackEnv({
      WORKER_CONCURRENCY: '6',
      WORKER_LOCK_DURATION_MS: '3000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      RECONCILE_INTERVAL_MS: '0',
      WORKER_EXECUTION_TRACE: '1',
    });
    api = await startApi(env);
    admin = new Client(api.url, testEnv().SWITCHYARD_ADMIN_TOKEN);
    db = await testDb();
    const sdk = new URL(vcsim.endpoint).pathname;
    clouds = await createSimulatedClouds(
      admin,
      { ...moto, endpoint: aws.url },
      { ...vcsim, endpoint: `${vsphere.url}${sdk}` },
      RUN,
    );
    look = await CloudInspector.open(db, { aws: moto, vsphere: vcsim, openstack: null });
    look.providers.set(clouds.aws, 'aws').set(clouds.vsphere, 'vsphere');
    trace = new ExecutionTrace(env.QUEUE_PREFIX!);
  }, 180_000);

  afterAll(async () => {
    for (const w of workers) await w.stop();
    await api?.stop();
    await db?.end();
    look?.close();
    await trace?.close();
    await Promise.all([aws?.close(), vsphere?.close()]);
    await Promise.all([moto?.stop(), vcsim?.stop()]);
  });

  it(`brings all ${DEPLOYMENTS} deployments to running through kills mid-step, adopting what a dead worker made, and terminates them to nothing`, async () => {
    const ids: string[] = [];
    for (let i = 0; i < DEPLOYMENTS; i++) {
      const res = await admin.post('/api/v1/orders', {
        blueprint: 'three-tier-shop',
        name: `crash-${RUN}-${i}`,
        parameters: { dbPassword: 'crash-secret', appCount: 1 },
        placement: { default: clouds.aws, tiers: { db: clouds.vsphere } },
      });
      expect(res.status).toBe(202);
      ids.push(res.body.id);
    }
    const settled = async (state: string) =>
      (
        await db.query(
          `SELECT count(*)::int AS n FROM deployments WHERE id = ANY($1) AND step = 'done' AND state IN ($2, 'failed')`,
          [ids, state],
        )
      ).rows[0].n as number;
    // steps committed so far (each commit writes one of these events)
    const committed = async () =>
      (
        await db.query(
          `SELECT count(*)::int AS n FROM deployment_events
            WHERE deployment_id = ANY($1) AND type IN ('state', 'step.failed')`,
          [ids],
        )
      ).rows[0].n as number;

    // three kills: after a random few commits (wherever the steps are then: mid-call, mid-commit,
    // between steps; polled tightly, the clouds answer in milliseconds), then one at a create
    // whose answer the proxy holds back, so the instance exists on EC2 and no worker knows its id,
    // then at random again; a last worker finishes
    const kills: { worker: string; at: number }[] = [];
    let adopted: { key: string; request: SeenRequest } | undefined;
    for (let kill = 0; kill < 3; kill++) {
      if (kill === 1) aws.inject({ kind: 'swallow-response' }, 1, isCreate);
      const worker = await startWorker(env);
      workers.push(worker);
      const deadline = Date.now() + 120_000;
      if (kill === 1) {
        const [request] = await eventually(
          async () => {
            const held = aws.faulted('swallow-response');
            return held.length ? held : undefined;
          },
          120_000,
          'a create whose answer is held back',
        );
        const key = ec2(request!).get('ClientToken')!;
        await eventually(
          async () => (await moto.adapter().describeInstances({ [TAG_IDEMPOTENCY_KEY]: key })).length === 1,
          30_000,
          `the held-back create ${key} to exist on EC2`,
        );
        adopted = { key, request: request! };
      } else {
        const target = (await committed()) + 2 + Math.floor(Math.random() * 8);
        while ((await committed()) < target) {
          if (Date.now() > deadline) throw new Error(`${target} committed steps not reached`);
          await new Promise((r) => setTimeout(r, 5));
        }
        await new Promise((r) => setTimeout(r, Math.random() * 30));
      }
      await worker.kill9();
      kills.push({ worker: workerIdOf(worker), at: Date.now() });
    }
    expect(await settled('running')).toBeLessThan(DEPLOYMENTS);
    workers.push(await startWorker(env));
    await eventually(
      async () => (await settled('running')) === DEPLOYMENTS,
      240_000,
      'every deployment to settle',
    );

    // no fault that should fail a deployment was injected: every one runs
    const states = await db.query<{ id: string; state: string; failure: unknown }>(
      `SELECT id, state, failure FROM deployments WHERE id = ANY($1)`,
      [ids],
    );
    expect(states.rows.filter((r) => r.state !== 'running')).toEqual([]);

    // every kill landed mid-step: the dead worker had begun a step it never finished, and a
    // later worker ran that step again
    const steps = await trace.entries({ queue: 'deployments', name: 'deployment-step' });
    for (const { worker, at } of kills) {
      const begun = steps.filter((e) => e.worker === worker && e.event === 'handler').map((e) => e.jobId);
      const ended = new Set(
        steps.filter((e) => e.worker === worker && e.event === 'finished').map((e) => e.jobId),
      );
      const cut = begun.filter((job) => !ended.has(job));
      const rerun = cut.filter((job) =>
        steps.some((e) => e.jobId === job && e.event === 'handler' && e.at > at),
      );
      expect({ worker, cut: cut.length > 0, rerun: rerun.length > 0 }).toEqual({
        worker,
        cut: true,
        rerun: true,
      });
    }

    // adoption: the held-back create was sent once, by the worker killed while it waited; the next
    // one looked the key up, found the instance and recorded its id, never creating it again
    const { key, request } = adopted!;
    const killedAt = kills[1]!.at;
    expect(aws.requests.filter((r) => isCreate(r) && ec2(r).get('ClientToken') === key)).toEqual([request]);
    const [made] = await moto.adapter().describeInstances({ [TAG_IDEMPOTENCY_KEY]: key });
    const lookedUp = aws.requests.filter(
      (r) =>
        r.at > killedAt && ec2(r).get('Action') === 'DescribeInstances' && [...ec2(r).values()].includes(key),
    );
    expect(lookedUp.length).toBeGreaterThanOrEqual(1);
    const row = await db.query<{ deployment_id: string; tier: string; index: number; cloud_id: string }>(
      `SELECT deployment_id, tier, index, cloud_id FROM deployment_instances WHERE idempotency_key = $1`,
      [key],
    );
    expect(row.rows).toHaveLength(1);
    expect(row.rows[0]!.cloud_id).toBe(made!.id);
    const recorded = await db.query<{ at: Date }>(
      `SELECT created_at AS at FROM deployment_events
        WHERE deployment_id = $1 AND type = 'instance.created' AND data->>'tier' = $2 AND (data->>'index')::int = $3`,
      [row.rows[0]!.deployment_id, row.rows[0]!.tier, row.rows[0]!.index],
    );
    expect(recorded.rows).toHaveLength(1);
    expect(recorded.rows[0]!.at.getTime()).toBeGreaterThan(killedAt);

    // each deployment on the clouds: its three instances once each, at the fabric's addresses,
    // under the ids Switchyard recorded; and what the network step made, as the clouds list it
    const rows = await db.query<{
      deployment_id: string;
      tier: string;
      index: number;
      cloud_id: string;
      address: string;
    }>(
      `SELECT deployment_id, tier, index, cloud_id, address FROM deployment_instances
        WHERE deployment_id = ANY($1) AND state <> 'terminated'`,
      [ids],
    );
    for (const id of ids) {
      const onClouds: CloudInstance[] = [
        ...(await look.instances(clouds.aws, id)),
        ...(await look.instances(clouds.vsphere, id)),
      ];
      const fabric = await look.fabricAddresses(id);
      const keyOf = (tier: string, index: string | number) => `sy-${compactId(id)}-${tier}-${index}`;
      const seen = onClouds
        .map((i) => ({
          key: keyOf(i.tags['switchyard:tier']!, i.tags['switchyard:index']!),
          id: i.id,
          ip: i.privateIp,
        }))
        .sort((x, y) => x.key.localeCompare(y.key));
      const mine = rows.rows.filter((r) => r.deployment_id === id);
      expect(seen).toEqual(
        mine
          .map((r) => ({ key: keyOf(r.tier, r.index), id: r.cloud_id, ip: fabric[keyOf(r.tier, r.index)] }))
          .sort((x, y) => x.key.localeCompare(y.key)),
      );
      expect(seen.map((s) => s.key)).toEqual([keyOf('app', 0), keyOf('db', 0), keyOf('web', 0)]);
      for (const r of mine) expect(r.address).toBe(fabric[keyOf(r.tier, r.index)]);
      const kinds = (await look.leftOnClouds(id)).map((what) => what.split(' ').slice(0, 2).join(' '));
      expect(kinds).toEqual([
        'aws group',
        'aws group',
        'aws instance',
        'aws instance',
        'aws interface',
        'aws interface',
        'aws subnet',
        'vsphere portgroup',
        'vsphere vm',
      ]);
    }

    // terminate: nothing of any deployment left on either cloud, nor in the fabric
    for (const id of ids) {
      expect((await admin.post(`/api/v1/deployments/${id}/actions`, { action: 'terminate' })).status).toBe(
        202,
      );
    }
    await eventually(async () => (await settled('terminated')) === DEPLOYMENTS, 240_000, 'every terminate');
    const ended = await db.query(
      `SELECT id, state FROM deployments WHERE id = ANY($1) AND state <> 'terminated'`,
      [ids],
    );
    expect(ended.rows).toEqual([]);
    for (const id of ids) {
      expect({ id, clouds: await look.leftOnClouds(id), fabric: await look.fabricLeft(id) }).toEqual({
        id,
        clouds: [],
        fabric: [],
      });
    }
  }, 600_000);
});
