import { InMemoryDeploymentRecords, RecordingStepQueue } from '../testing/in-memory-deployments.js';
import { DeploymentLifecycle, type ActionRequest, type DeploymentOrder } from './deployment-lifecycle.js';
import { stepOutcome } from './step-outcomes.js';
import type { DeploymentEntity } from './deployment.entities.js';

const TENANT = '00000000-0000-4000-8000-00000000000a';
const OTHER_TENANT = '00000000-0000-4000-8000-00000000000b';
const ID = '11111111-1111-4111-8111-111111111111';
const own = { tenantId: TENANT, anyTenant: false };
const timing = { stepMs: 120, cloudMs: 80 };

function setUp() {
  const records = new InMemoryDeploymentRecords();
  const queue = new RecordingStepQueue();
  return { records, queue, lifecycle: new DeploymentLifecycle(records, queue, records), tx: records.tx };
}

const anyone = { name: 'ann', mayAct: () => true };
const act = (action: ActionRequest['action'], more: Partial<ActionRequest> = {}): ActionRequest => ({
  action,
  actor: anyone,
  ...more,
});

describe('DeploymentLifecycle.order', () => {
  const order: DeploymentOrder = {
    id: ID,
    name: 'shop-staging',
    blueprintName: 'shop',
    blueprintVersion: '1.2.0',
    blueprint: { tiers: {} },
    parameters: { dbPassword: '********' },
    labels: {},
    secretKeyId: null,
    secretData: null,
    placement: { default: 'aws-us-east-1', tiers: { db: 'vsphere-dc1', app: 'aws-us-east-1' } },
    plan: { tiers: [] },
    rollbackOnFailure: true,
    leaseHours: 4,
    requestedBy: 'user-1',
    idempotencyKey: 'ci-42',
    requestHash: 'f'.repeat(64),
  };

  it('stores the row pending at seq 0, writes its event, and queues the network step last', async () => {
    const { records, queue, lifecycle, tx } = setUp();
    const written: string[] = [];
    const d = await lifecycle.order(tx, own, order, 'ann', async (row) => {
      // the caller's rows come before the job
      written.push(`audit ${row.id} with ${queue.added.length} jobs queued`);
    });

    expect(d).toMatchObject({ id: ID, tenantId: TENANT, state: 'pending', seq: 0, step: 'network' });
    expect(records.rows.get(ID)).toMatchObject({
      state: 'pending',
      seq: 0,
      step: 'network',
      networks: {},
      outputs: {},
      failure: null,
      runningAt: null,
      endedAt: null,
      leaseHours: 4,
      idempotencyKey: 'ci-42',
    });
    expect(records.events).toEqual([
      {
        deploymentId: ID,
        type: 'state',
        message: 'ordered shop@1.2.0 by ann; deployment is pending',
        data: { state: 'pending', environments: ['aws-us-east-1', 'vsphere-dc1'] },
      },
    ]);
    expect(written).toEqual([`audit ${ID} with 0 jobs queued`]);
    expect(queue.added).toEqual([
      {
        name: 'deployment-step',
        payload: { deploymentId: ID, tenantId: TENANT, step: 'network', seq: 0 },
        jobId: `${ID}.0.network`,
        attempts: 5,
      },
    ]);
  });

  it('writes the row in the scope’s tenant, whatever the order says', async () => {
    const { records, lifecycle, tx } = setUp();
    await lifecycle.order(tx, { tenantId: OTHER_TENANT, anyTenant: true }, order, 'root');
    expect(records.rows.get(ID)?.tenantId).toBe(OTHER_TENANT);
  });
});

describe('DeploymentLifecycle.requestAction', () => {
  function running(fields: Partial<DeploymentEntity> = {}) {
    const t = setUp();
    t.records.seed({ id: ID, tenantId: TENANT, state: 'running', seq: 3, step: 'done', ...fields });
    return t;
  }

  it('moves a running deployment to stopping: seq + 1, failure cleared, event, stop job', async () => {
    const { records, queue, lifecycle, tx } = running({ failure: { step: 'scale', message: 'quota' } });
    const answer = await lifecycle.requestAction(tx, own, ID, act('stop'));

    expect(answer).toMatchObject({ outcome: 'accepted', state: 'stopping', seq: 4 });
    expect(answer.outcome === 'accepted' && answer.deployment.state).toBe('running');
    expect(records.rows.get(ID)).toMatchObject({ state: 'stopping', step: 'stop', seq: 4, failure: null });
    expect(records.events).toEqual([
      { deploymentId: ID, type: 'action', message: 'stop requested by ann', data: { action: 'stop' } },
    ]);
    expect(queue.added.map((j) => [j.jobId, j.payload])).toEqual([
      [`${ID}.4.stop`, { deploymentId: ID, tenantId: TENANT, step: 'stop', seq: 4 }],
    ]);
  });

  it('scales a tier within its range, and the job carries the new count', async () => {
    const { records, queue, lifecycle, tx } = running();
    const answer = await lifecycle.requestAction(tx, own, ID, act('scale', { tier: 'app', count: 3 }));

    expect(answer).toMatchObject({ outcome: 'accepted', state: 'scaling', scale: { tier: 'app', count: 3 } });
    expect(records.rows.get(ID)).toMatchObject({ state: 'scaling', step: 'scale', seq: 4 });
    expect(records.events[0]).toMatchObject({
      message: 'scale app to 3 requested by ann',
      data: { action: 'scale', tier: 'app', count: 3 },
    });
    expect(queue.added[0]).toMatchObject({
      jobId: `${ID}.4.scale`,
      payload: { step: 'scale', seq: 4, scale: { tier: 'app', count: 3 } },
    });
  });

  it('refuses, writing nothing, in the order: not found, forbidden, not allowed, invalid scale', async () => {
    const { records, queue, lifecycle, tx } = running();
    const elsewhere = { tenantId: OTHER_TENANT, anyTenant: false };
    expect(await lifecycle.requestAction(tx, elsewhere, ID, act('stop'))).toEqual({ outcome: 'not-found' });
    expect(
      await lifecycle.requestAction(
        tx,
        own,
        ID,
        act('stop', { actor: { name: 'bob', mayAct: () => false } }),
      ),
    ).toEqual({ outcome: 'forbidden' });
    expect(await lifecycle.requestAction(tx, own, ID, act('start'))).toEqual({
      outcome: 'not-allowed',
      state: 'running',
      allowed: ['stop', 'restart', 'scale', 'terminate'],
    });
    expect(await lifecycle.requestAction(tx, own, ID, act('scale', { tier: 'db' }))).toEqual({
      outcome: 'invalid',
      problems: [
        { path: 'tier', message: 'is not a tier (web, app)' },
        { path: 'count', message: 'is required to scale' },
      ],
    });
    expect(await lifecycle.requestAction(tx, own, ID, act('scale', { tier: 'app', count: 6 }))).toEqual({
      outcome: 'invalid',
      problems: [{ path: 'count', message: "must be within the tier's scale 1..5" }],
    });
    // a tier without a declared range may go from 1 to 1000
    expect(await lifecycle.requestAction(tx, own, ID, act('scale', { tier: 'web', count: 0 }))).toMatchObject(
      {
        outcome: 'invalid',
        problems: [{ path: 'count', message: "must be within the tier's scale 1..1000" }],
      },
    );

    expect(records.rows.get(ID)).toMatchObject({ state: 'running', seq: 3 });
    expect(records.events).toEqual([]);
    expect(queue.added).toEqual([]);
  });

  it('lets an admin scope act on another tenant’s deployment, queued for that tenant', async () => {
    const { queue, lifecycle, tx } = running();
    const answer = await lifecycle.requestAction(
      tx,
      { tenantId: OTHER_TENANT, anyTenant: true },
      ID,
      act('terminate'),
    );
    expect(answer.outcome).toBe('accepted');
    expect(queue.added[0]?.payload).toEqual({
      deploymentId: ID,
      tenantId: TENANT,
      step: 'terminate',
      seq: 4,
    });
  });
});

describe('DeploymentLifecycle.expireLease', () => {
  it('terminates like a person would, with a lease.expired event', async () => {
    const { records, queue, lifecycle, tx } = setUp();
    const created = records.seed({
      id: ID,
      tenantId: TENANT,
      state: 'stopped',
      seq: 7,
      leaseHours: 2,
    }).createdAt;
    expect(await lifecycle.expireLease(tx, own, ID)).toMatchObject({ id: ID, state: 'stopped' });

    expect(records.rows.get(ID)).toMatchObject({
      state: 'terminating',
      step: 'terminate',
      seq: 8,
      failure: null,
    });
    expect(records.events).toEqual([
      {
        deploymentId: ID,
        type: 'lease.expired',
        message: 'lease of 2 h ran out; terminating',
        data: { leaseHours: 2, orderedAt: created.toISOString() },
      },
    ]);
    expect(queue.jobIds).toEqual([`${ID}.8.terminate`]);
  });

  it('leaves a deployment alone when a person’s action came first', async () => {
    const { records, queue, lifecycle, tx } = setUp();
    records.seed({ id: ID, tenantId: TENANT, state: 'terminating', seq: 8, leaseHours: 2 });
    expect(await lifecycle.expireLease(tx, own, ID)).toBeNull();
    expect(await lifecycle.expireLease(tx, own, '22222222-2222-4222-8222-222222222222')).toBeNull();
    expect(records.rows.get(ID)?.seq).toBe(8);
    expect(records.events).toEqual([]);
    expect(queue.added).toEqual([]);
  });
});

describe('DeploymentLifecycle steps', () => {
  function atStep(fields: Partial<DeploymentEntity>) {
    const t = setUp();
    const d = t.records.seed({ id: ID, tenantId: TENANT, ...fields });
    return { ...t, d };
  }

  it('says whose turn a job is by its seq', () => {
    const { lifecycle, d } = atStep({ seq: 2 });
    const job = (seq: number) => ({ deploymentId: ID, tenantId: TENANT, step: 'provision' as const, seq });
    expect(lifecycle.stepTurn(null, job(0))).toBe('wait');
    expect(lifecycle.stepTurn(d, job(3))).toBe('wait');
    expect(lifecycle.stepTurn(d, job(1))).toBe('stale');
    expect(lifecycle.stepTurn(d, job(2))).toBe('run');
  });

  it('chains network → provision → configure → running, one seq and one job at a time', async () => {
    const { records, queue, lifecycle, tx, d } = atStep({ state: 'pending', seq: 0, step: 'network' });
    const complete = async (step: 'network' | 'provision' | 'configure', seq: number) => {
      const row = records.rows.get(ID)!;
      const found = step === 'configure' ? { outputs: { url: 'http://10.0.0.5' } } : {};
      await lifecycle.completeStep(
        tx,
        own,
        row,
        { deploymentId: ID, tenantId: TENANT, step, seq },
        { found },
        timing,
      );
    };
    await complete('network', 0);
    expect(records.rows.get(ID)).toMatchObject({ state: 'provisioning', step: 'provision', seq: 1 });
    await complete('provision', 1);
    expect(records.rows.get(ID)).toMatchObject({ state: 'provisioning', step: 'configure', seq: 2 });
    // on its way, the quota keeps what the order reserved
    expect(records.settled).toEqual([]);
    await complete('configure', 2);
    // at rest, the reservation becomes what the deployment holds, in the same transaction
    expect(records.settled).toEqual([{ deploymentId: ID, state: 'running' }]);
    const done = records.rows.get(ID)!;
    expect(done).toMatchObject({
      state: 'running',
      step: 'done',
      seq: 3,
      outputs: { url: 'http://10.0.0.5' },
    });
    expect(done.runningAt).toBeInstanceOf(Date);

    expect(queue.jobIds).toEqual([`${ID}.1.provision`, `${ID}.2.configure`]);
    expect(queue.added.map((j) => j.payload.tenantId)).toEqual([d.tenantId, d.tenantId]);
    expect(records.events).toEqual([
      {
        deploymentId: ID,
        type: 'state',
        message: 'network done; deployment is provisioning',
        data: { step: 'network', state: 'provisioning', ...timing },
      },
      {
        deploymentId: ID,
        type: 'state',
        message: 'provision done; deployment is provisioning',
        data: { step: 'provision', state: 'provisioning', ...timing },
      },
      {
        deploymentId: ID,
        type: 'state',
        message: 'configure done; deployment is running',
        data: { step: 'configure', state: 'running', ...timing },
      },
    ]);
  });

  it('rolls a failed build step back, or fails it as it is when the order said so', async () => {
    const failure = {
      step: 'provision' as const,
      tier: 'db',
      environment: 'vsphere-dc1',
      message: 'no capacity',
    };
    const job = { deploymentId: ID, tenantId: TENANT, step: 'provision' as const, seq: 1 };

    const rolled = atStep({ state: 'provisioning', seq: 1, step: 'provision', rollbackOnFailure: true });
    await rolled.lifecycle.completeStep(rolled.tx, own, rolled.d, job, { failure }, timing);
    expect(rolled.records.rows.get(ID)).toMatchObject({
      state: 'rolling-back',
      step: 'rollback',
      seq: 2,
      failure,
    });
    expect(rolled.records.events).toEqual([
      {
        deploymentId: ID,
        type: 'step.failed',
        message: 'provision failed on db (vsphere-dc1): no capacity',
        data: { step: 'provision', state: 'rolling-back', ...timing, failure },
      },
    ]);
    expect(rolled.queue.jobIds).toEqual([`${ID}.2.rollback`]);
    // rolling back: the reservation holds until the rollback is done
    expect(rolled.records.settled).toEqual([]);

    const kept = atStep({ state: 'provisioning', seq: 1, step: 'provision', rollbackOnFailure: false });
    await kept.lifecycle.completeStep(kept.tx, own, kept.d, job, { failure }, timing);
    expect(kept.records.rows.get(ID)).toMatchObject({ state: 'failed', step: 'provision', seq: 2, failure });
    expect(kept.queue.added).toEqual([]);
    // failed as it is: the quota follows what it kept
    expect(kept.records.settled).toEqual([{ deploymentId: ID, state: 'failed' }]);
  });

  it('ends removals and leaves failed actions where they were (the state table)', () => {
    const { d } = atStep({ state: 'running' });
    const failure = { step: 'terminate' as const, message: 'cloud gone' };
    expect(stepOutcome(d, 'terminate', { failure })).toMatchObject({ state: 'failed', failure });
    expect(stepOutcome(d, 'terminate', { failure }).next).toBeUndefined();
    expect(stepOutcome(d, 'rollback', { failure }).change?.endedAt).toBeInstanceOf(Date);
    expect(stepOutcome(d, 'stop', { failure })).toEqual({ state: 'running', failure });
    expect(stepOutcome(d, 'start', { failure })).toEqual({ state: 'stopped', failure });
    expect(stepOutcome(d, 'restart', { failure })).toEqual({ state: 'running', failure });
    expect(stepOutcome(d, 'scale', { failure })).toEqual({ state: 'running', failure });
    expect(stepOutcome(d, 'stop', {})).toEqual({ state: 'stopped' });
    expect(stepOutcome(d, 'rollback', {})).toMatchObject({ state: 'failed' });
    expect(stepOutcome(d, 'terminate', {})).toMatchObject({ state: 'terminated' });
    expect(stepOutcome(d, 'terminate', {}).change?.endedAt).toBeInstanceOf(Date);
  });

  it('keeps what a scale found, and the first time the deployment ran', () => {
    const ranAt = new Date('2030-01-01T00:00:00Z');
    const { d } = atStep({ state: 'provisioning', runningAt: ranAt });
    const plan = { tiers: [{ tier: 'app', count: 3 }] };
    expect(stepOutcome(d, 'scale', { found: { plan, outputs: {} } })).toEqual({
      state: 'running',
      change: { plan, outputs: {} },
    });
    expect(stepOutcome(d, 'configure', { found: { outputs: { url: 'x' } } }).change).toEqual({
      outputs: { url: 'x' },
      runningAt: ranAt,
    });
  });
});
