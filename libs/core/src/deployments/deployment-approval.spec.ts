import { InMemoryDeploymentRecords, RecordingStepQueue } from '../testing/in-memory-deployments.js';
import { DeploymentLifecycle, type DeploymentOrder } from './deployment-lifecycle.js';
import { allowedActions } from './deployment-states.js';

const TENANT = '00000000-0000-4000-8000-00000000000a';
const OTHER = '00000000-0000-4000-8000-00000000000b';
const ID = '22222222-2222-4222-8222-222222222222';
const own = { tenantId: TENANT, anyTenant: false };

const order: DeploymentOrder = {
  id: ID,
  name: 'big-shop',
  blueprintName: 'shop',
  blueprintVersion: '1.2.0',
  blueprint: { tiers: {} },
  parameters: {},
  secretKeyId: null,
  secretData: null,
  placement: { default: 'aws-us-east-1' },
  plan: { tiers: [] },
  rollbackOnFailure: true,
  leaseHours: null,
  labels: {},
  requestedBy: 'user-1',
  idempotencyKey: null,
  requestHash: 'f'.repeat(64),
};

async function held() {
  const records = new InMemoryDeploymentRecords();
  const queue = new RecordingStepQueue();
  const lifecycle = new DeploymentLifecycle(records, queue, records);
  const sameCommit: string[] = [];
  await lifecycle.orderAwaitingApproval(
    records.tx,
    own,
    order,
    { orderedBy: 'ann', why: 'monthly cost above 100 USD (rule big)' },
    async (d) => void sameCommit.push(d.state),
  );
  return { records, queue, lifecycle, tx: records.tx, sameCommit };
}

describe('DeploymentLifecycle: orders that wait for approval', () => {
  it('stores the row awaiting approval with its event and the caller’s rows, and queues nothing', async () => {
    const { records, queue, sameCommit } = await held();
    expect(records.rows.get(ID)).toMatchObject({ state: 'awaiting-approval', seq: 0, step: 'network' });
    expect(records.events).toEqual([
      {
        deploymentId: ID,
        type: 'approval.requested',
        message: 'ordered shop@1.2.0 by ann; awaiting approval: monthly cost above 100 USD (rule big)',
        data: { state: 'awaiting-approval', environments: ['aws-us-east-1'] },
      },
    ]);
    expect(sameCommit).toEqual(['awaiting-approval']);
    expect(queue.added).toEqual([]);
    // no person's action applies to it: approve and reject are the approval's own
    expect(allowedActions('awaiting-approval')).toEqual([]);
  });

  it('approves it on to pending and queues its first step, once', async () => {
    const { records, queue, lifecycle, tx } = await held();
    const before = await lifecycle.approve(tx, own, ID, { by: 'otto', reason: 'fits' });
    expect(before?.state).toBe('awaiting-approval');
    expect(records.rows.get(ID)).toMatchObject({ state: 'pending', seq: 1, step: 'network' });
    expect(records.events.at(-1)).toMatchObject({
      type: 'approval.approved',
      message: 'approved by otto (fits); deployment is pending',
    });
    expect(queue.jobIds).toEqual([`${ID}.1.network`]);
    // a second decision finds it no longer waiting
    expect(await lifecycle.approve(tx, own, ID, { by: 'otto', reason: null })).toBeNull();
    expect(
      await lifecycle.endUnapproved(tx, own, ID, { state: 'rejected', message: 'x', data: {} }),
    ).toBeNull();
    expect(queue.jobIds).toHaveLength(1);
  });

  it('ends it rejected or expired without a job, and not from another tenant', async () => {
    const { records, queue, lifecycle, tx } = await held();
    const foreign = { tenantId: OTHER, anyTenant: false };
    expect(
      await lifecycle.endUnapproved(tx, foreign, ID, { state: 'expired', message: 'x', data: {} }),
    ).toBeNull();
    expect(records.rows.get(ID)?.state).toBe('awaiting-approval');

    await lifecycle.endUnapproved(tx, own, ID, {
      state: 'rejected',
      message: 'rejected by otto: too big',
      data: { by: 'otto', reason: 'too big' },
    });
    expect(records.rows.get(ID)).toMatchObject({ state: 'rejected', seq: 1, step: 'done' });
    expect(records.rows.get(ID)?.endedAt).toBeInstanceOf(Date);
    expect(records.events.at(-1)).toEqual({
      deploymentId: ID,
      type: 'approval.rejected',
      message: 'rejected by otto: too big',
      data: { state: 'rejected', by: 'otto', reason: 'too big' },
    });
    expect(await lifecycle.approve(tx, own, ID, { by: 'otto', reason: null })).toBeNull();
    expect(queue.added).toEqual([]);
  });
});
