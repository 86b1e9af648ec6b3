import { Logger } from '@nestjs/common';
import { loadConfig } from '@switchyard/core/config';
import {
  DeploymentLifecycle,
  type DeploymentEntity,
  type DeploymentInstanceEntity,
  type DeploymentStepJob,
  type StepFindings,
} from '@switchyard/core/deployments';
import {
  fakeDeploymentRepository,
  InMemoryDeploymentRecords,
  RecordingStepQueue,
  strictFake,
} from '@switchyard/core/testing';
import { RetryLater, type JobContext } from '../jobs/job-handler.js';
import type { CloudAccessService } from './cloud-access.service.js';
import { DeploymentStepHandler } from './deployment-step.handler.js';
import type { DeploymentSteps } from './deployment-steps.service.js';
import type { DeploymentStore } from './deployment-store.service.js';
import { StepFailure } from './step-failure.js';
import { StepFailures } from './step-failures.service.js';

const TENANT = '00000000-0000-4000-8000-00000000000a';
const ID = '11111111-1111-4111-8111-111111111111';
const PLAN = {
  tiers: [
    { tier: 'web', environment: 'aws-us-east-1', count: 2 },
    { tier: 'db', environment: 'vsphere-dc1', count: 1 },
  ],
  stages: [['db'], ['web']],
};

interface Behaviour {
  /** What the step does: answers its findings or throws. */
  step?: (job: DeploymentStepJob) => Promise<StepFindings>;
  /** The instance rows a failed removal finds left. */
  left?: Partial<DeploymentInstanceEntity>[];
}

function setUp(row: Partial<DeploymentEntity>, behaviour: Behaviour = {}) {
  const records = new InMemoryDeploymentRecords();
  records.seed({ id: ID, tenantId: TENANT, plan: PLAN, ...row });
  const queue = new RecordingStepQueue();
  const ran: string[] = [];
  const opened: { tenantId: string; names: string[] }[] = [];
  const progress: { type: string; message: string; data: Record<string, unknown> }[] = [];
  let commits = 0;

  const clouds = strictFake<CloudAccessService>('CloudAccessService', {
    withEnvironments: async (tenantId, names, fn) => {
      opened.push({ tenantId, names });
      return fn(new Map());
    },
  });
  const steps = strictFake<DeploymentSteps>(
    'DeploymentSteps',
    behaviour.step
      ? {
          run: async (_d, _clouds, job) => {
            ran.push(job.step);
            return behaviour.step!(job);
          },
        }
      : {},
  );
  // the store is only asked about a failed removal: its retries, its instances, its retry event
  const store = strictFake<DeploymentStore>('DeploymentStore', {
    retries: async () => ({ tries: 0, elapsedMs: 0 }),
    instances: async () => (behaviour.left ?? []) as DeploymentInstanceEntity[],
    event: async (_id, type, message, data = {}) => {
      progress.push({ type, message, data });
    },
  });
  const config = loadConfig({ SWITCHYARD_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') });
  const ctx = strictFake<JobContext>('JobContext', {
    commit: async (fn) => {
      commits++;
      return fn(records.tx);
    },
  });
  const handler = new DeploymentStepHandler(
    fakeDeploymentRepository(records),
    new DeploymentLifecycle(records, queue, records),
    clouds,
    steps,
    new StepFailures(store, config),
  );
  const job = (step: DeploymentStepJob['step'], seq: number, more: Partial<DeploymentStepJob> = {}) => ({
    deploymentId: ID,
    tenantId: TENANT,
    step,
    seq,
    ...more,
  });
  return {
    handle: (j: DeploymentStepJob) => handler.handle(j, ctx),
    job,
    row: () => records.rows.get(ID)!,
    events: records.events,
    queue,
    ran,
    opened,
    progress,
    commits: () => commits,
  };
}

describe('DeploymentStepHandler', () => {
  // a failed step is logged as a warning: not wanted in the test output
  beforeAll(() => Logger.overrideLogger(false));

  it('runs the step on the deployment’s clouds, then moves it on and queues the next step', async () => {
    const t = setUp({ state: 'pending', seq: 0, step: 'network' }, { step: async () => ({}) });
    await t.handle(t.job('network', 0));

    expect(t.ran).toEqual(['network']);
    expect(t.opened).toEqual([{ tenantId: TENANT, names: ['aws-us-east-1', 'vsphere-dc1'] }]);
    expect(t.row()).toMatchObject({ state: 'provisioning', step: 'provision', seq: 1, failure: null });
    expect(t.events).toEqual([
      {
        deploymentId: ID,
        type: 'state',
        message: 'network done; deployment is provisioning',
        data: {
          step: 'network',
          state: 'provisioning',
          stepMs: expect.any(Number),
          cloudMs: expect.any(Number),
        },
      },
    ]);
    expect(t.queue.added).toEqual([
      {
        name: 'deployment-step',
        payload: { deploymentId: ID, tenantId: TENANT, step: 'provision', seq: 1 },
        jobId: `${ID}.1.provision`,
        attempts: 5,
      },
    ]);
    expect(t.commits()).toBe(1);
  });

  it('keeps what a scale found (the plan with the new count, the outputs) and queues nothing more', async () => {
    const scaled = { ...PLAN, tiers: [{ ...PLAN.tiers[0], count: 3 }, PLAN.tiers[1]] };
    const t = setUp(
      { state: 'scaling', seq: 4, step: 'scale', runningAt: new Date('2030-01-01T00:00:00Z') },
      { step: async () => ({ plan: scaled, outputs: { url: 'http://10.20.0.5' } }) },
    );
    await t.handle(t.job('scale', 4, { scale: { tier: 'web', count: 3 } }));

    expect(t.ran).toEqual(['scale']);
    expect(t.row()).toMatchObject({
      state: 'running',
      step: 'done',
      seq: 5,
      plan: scaled,
      outputs: { url: 'http://10.20.0.5' },
    });
    expect(t.events[0]?.message).toBe('scale done; deployment is running');
    expect(t.queue.added).toEqual([]);
  });

  it('rolls a failed build step back: the failure named, rolling-back, the rollback job', async () => {
    const t = setUp(
      { state: 'provisioning', seq: 1, step: 'provision', rollbackOnFailure: true },
      {
        step: async () => {
          throw new StepFailure('provision', 'InsufficientCapacity: no room', {
            tier: 'db',
            environment: 'vsphere-dc1',
            provider: 'vsphere',
            cloudCode: 'InsufficientCapacity',
          });
        },
      },
    );
    await t.handle(t.job('provision', 1));

    const failure = {
      step: 'provision',
      message: 'InsufficientCapacity: no room',
      tier: 'db',
      environment: 'vsphere-dc1',
      provider: 'vsphere',
      cloudCode: 'InsufficientCapacity',
    };
    expect(t.row()).toMatchObject({ state: 'rolling-back', step: 'rollback', seq: 2, failure });
    expect(t.events).toEqual([
      {
        deploymentId: ID,
        type: 'step.failed',
        message: 'provision failed on db (vsphere-dc1): InsufficientCapacity: no room',
        data: expect.objectContaining({ step: 'provision', state: 'rolling-back', failure }),
      },
    ]);
    expect(t.queue.jobIds).toEqual([`${ID}.2.rollback`]);
  });

  it('puts off a terminate whose cloud does not answer, committing nothing', async () => {
    const t = setUp(
      { state: 'terminating', seq: 6, step: 'terminate' },
      {
        step: async () => {
          throw new StepFailure('terminate', 'connect ECONNREFUSED', { environment: 'vsphere-dc1' }, true);
        },
      },
    );
    const refused = await t.handle(t.job('terminate', 6)).catch((e: unknown) => e);

    expect(refused).toBeInstanceOf(RetryLater);
    expect((refused as RetryLater).delayMs).toBeGreaterThan(0);
    expect(t.progress).toEqual([
      expect.objectContaining({
        type: 'step.retrying',
        data: expect.objectContaining({ step: 'terminate', seq: 6, try: 1 }),
      }),
    ]);
    expect(t.commits()).toBe(0);
    expect(t.row()).toMatchObject({ state: 'terminating', seq: 6 });
    expect(t.events).toEqual([]);
    expect(t.queue.added).toEqual([]);
  });

  it('fails a terminate that cannot finish, naming what it left behind', async () => {
    const t = setUp(
      { state: 'terminating', seq: 6, step: 'terminate' },
      {
        step: async () => {
          throw new StepFailure('terminate', 'UnauthorizedOperation: denied', {
            environment: 'aws-us-east-1',
          });
        },
        left: [
          {
            tier: 'web',
            index: 1,
            environment: 'aws-us-east-1',
            provider: 'aws-ec2',
            cloudId: 'i-1',
            state: 'running',
          },
          {
            tier: 'web',
            index: 0,
            environment: 'aws-us-east-1',
            provider: 'aws-ec2',
            cloudId: 'i-0',
            state: 'terminated',
          },
        ],
      },
    );
    await t.handle(t.job('terminate', 6));

    const row = t.row();
    expect(row).toMatchObject({ state: 'failed', step: 'terminate', seq: 7 });
    expect(row.endedAt).toBeInstanceOf(Date);
    expect(row.failure?.left).toEqual([
      { tier: 'web', index: 1, environment: 'aws-us-east-1', provider: 'aws-ec2', cloudId: 'i-1' },
    ]);
    expect(row.failure?.message).toContain('left behind: web[1] i-1 on aws-us-east-1 (aws-ec2)');
    expect(t.queue.added).toEqual([]);
  });

  it('waits for a step not committed yet, and does nothing for a stale one or another tenant’s', async () => {
    // no step behaviour: running a step here fails the test
    const t = setUp({ state: 'provisioning', seq: 2, step: 'configure' });

    await expect(t.handle(t.job('configure', 3))).rejects.toBeInstanceOf(RetryLater);
    await expect(t.handle(t.job('provision', 1))).resolves.toBeUndefined();
    const elsewhere = { ...t.job('configure', 2), tenantId: '00000000-0000-4000-8000-00000000000b' };
    await expect(t.handle(elsewhere)).rejects.toBeInstanceOf(RetryLater);

    expect(t.opened).toEqual([]);
    expect(t.commits()).toBe(0);
    expect(t.row()).toMatchObject({ state: 'provisioning', seq: 2 });
  });
});
