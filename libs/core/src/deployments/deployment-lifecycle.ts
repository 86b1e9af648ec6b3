import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantScope } from '../database/tenant-scope.js';
import { QuotaLedger } from '../governance/quota-ledger.js';
import { JobQueue } from '../queue/job-queue.js';
import { JobName, type JobPayloads } from '../queue/jobs.js';
import {
  ACTION_STATE,
  allowedActions,
  type DeploymentAction,
  type DeploymentState,
  type DeploymentStep,
} from './deployment-states.js';
import type { DeploymentEntity } from './deployment.entities.js';
import {
  DeploymentRepository,
  type DeploymentRecords,
  type NewDeployment,
  type NewDeploymentEvent,
} from './deployment.repository.js';
import { checkScaleRequest, type ScaleProblem, type ScaleRequest } from './scale-request.js';
import {
  stepEvent,
  stepOutcome,
  type StepOutcome,
  type StepResult,
  type StepTiming,
} from './step-outcomes.js';

export type DeploymentStepJob = JobPayloads[JobName.DeploymentStep];

/** Where the lifecycle queues a deployment's steps: the JobQueue is one. */
export interface DeploymentStepQueue {
  add(
    name: JobName.DeploymentStep,
    payload: DeploymentStepJob,
    options: { jobId: string; attempts: number },
  ): Promise<string>;
}

/** Where a deployment at rest has its quota reservation set to what it holds (QuotaLedger). */
export interface DeploymentSettlement {
  settle(em: EntityManager, deploymentId: string): Promise<void>;
}

/** An order's row, before the lifecycle gives it its first state. */
export type DeploymentOrder = Omit<
  NewDeployment,
  'state' | 'seq' | 'step' | 'networks' | 'outputs' | 'failure' | 'runningAt' | 'endedAt'
>;

export interface ActionRequest {
  action: DeploymentAction;
  /** scale: the tier and its new count */
  tier?: string;
  count?: number;
  /** Who asks: named in the event; `mayAct` says whether they may act on this deployment at all. */
  actor: { name: string; mayAct(d: DeploymentEntity): boolean };
}

export interface AcceptedAction {
  outcome: 'accepted';
  /** The row as it was before the action. */
  deployment: DeploymentEntity;
  state: DeploymentState;
  seq: number;
  scale?: ScaleRequest;
}

export type ActionAnswer =
  | { outcome: 'not-found' }
  | { outcome: 'forbidden' }
  | { outcome: 'not-allowed'; state: DeploymentState; allowed: readonly DeploymentAction[] }
  | { outcome: 'invalid'; problems: ScaleProblem[] }
  | AcceptedAction;

/** Whether a step job may run: its row not committed yet, behind the row (stale), or its turn. */
export type StepTurn = 'wait' | 'stale' | 'run';

/**
 * The one owner of a deployment's life: every move to a next state (by an order, a user's action,
 * a lease that ran out or a finished step) goes through here. Each move bumps `seq`, sets the
 * state, writes its event and queues the next `DeploymentStep` job, all in the caller's
 * transaction; the job goes last, so that a refused queue writes nothing. A job whose `seq` is
 * behind the row's is stale; one ahead waits for the commit that queued it.
 */
@Injectable()
export class DeploymentLifecycle {
  constructor(
    @Inject(DeploymentRepository) private readonly records: DeploymentRecords,
    @Inject(JobQueue) private readonly jobs: DeploymentStepQueue,
    @Inject(QuotaLedger) private readonly quotas: DeploymentSettlement,
  ) {}

  /**
   * A new deployment: its row (pending, seq 0), its first event and its first job (network).
   * `sameCommit` writes the caller's own rows (the audit) before the job is queued.
   */
  async order(
    em: EntityManager,
    scope: TenantScope,
    order: DeploymentOrder,
    orderedBy: string,
    sameCommit?: (d: DeploymentEntity) => Promise<void>,
  ): Promise<DeploymentEntity> {
    const d = await this.records.insert(em, scope, firstRow(order, 'pending'));
    await this.records.addEvent(em, d.id, {
      type: 'state',
      message: `ordered ${d.blueprintName}@${d.blueprintVersion} by ${orderedBy}; deployment is pending`,
      data: { state: 'pending', environments: environmentsOf(d) },
    });
    await sameCommit?.(d);
    await this.queueStep(d, 'network', 0);
    return d;
  }

  /**
   * A new deployment that an approval rule holds: its row (awaiting-approval, seq 0) and its
   * event, and no job: nothing runs until `approve` moves it on, or `endUnapproved` ends it.
   */
  async orderAwaitingApproval(
    em: EntityManager,
    scope: TenantScope,
    order: DeploymentOrder,
    hold: { orderedBy: string; why: string; data?: Record<string, unknown> },
    sameCommit?: (d: DeploymentEntity) => Promise<void>,
  ): Promise<DeploymentEntity> {
    const d = await this.records.insert(em, scope, firstRow(order, 'awaiting-approval'));
    await this.records.addEvent(em, d.id, {
      type: 'approval.requested',
      message: `ordered ${d.blueprintName}@${d.blueprintVersion} by ${hold.orderedBy}; awaiting approval: ${hold.why}`,
      data: { ...hold.data, state: 'awaiting-approval', environments: environmentsOf(d) },
    });
    await sameCommit?.(d);
    return d;
  }

  /**
   * An approved deployment goes on as an order would: pending, its first job queued. Answers the
   * row as it was, or null when it is gone or no longer waits (rejected, expired, approved).
   */
  async approve(
    em: EntityManager,
    scope: TenantScope,
    id: string,
    decision: { by: string; reason: string | null; data?: Record<string, unknown> },
    sameCommit?: (d: DeploymentEntity) => Promise<void>,
  ): Promise<DeploymentEntity | null> {
    const d = await this.records.lock(em, scope, id);
    if (!d || d.state !== 'awaiting-approval') return null;
    const said = decision.reason ? ` (${decision.reason})` : '';
    const event = {
      type: 'approval.approved',
      message: `approved by ${decision.by}${said}; deployment is pending`,
      data: { ...decision.data, state: 'pending', by: decision.by, reason: decision.reason },
    };
    await this.move(em, scope, d, { state: 'pending', step: 'network', event }, () =>
      sameCommit ? sameCommit(d) : Promise.resolve(),
    );
    return d;
  }

  /**
   * A deployment that waited for approval ends without running: rejected (by a person, with a
   * reason) or expired (nobody decided in time). Null when it is gone or no longer waits.
   */
  async endUnapproved(
    em: EntityManager,
    scope: TenantScope,
    id: string,
    end: { state: 'rejected' | 'expired'; message: string; data: Record<string, unknown> },
  ): Promise<DeploymentEntity | null> {
    const d = await this.records.lock(em, scope, id);
    if (!d || d.state !== 'awaiting-approval') return null;
    await this.records.advance(em, scope, d.id, d.seq, {
      state: end.state,
      step: 'done',
      seq: d.seq + 1,
      endedAt: new Date(),
    });
    const type = end.state === 'rejected' ? 'approval.rejected' : 'approval.expired';
    await this.records.addEvent(em, d.id, {
      type,
      message: end.message,
      data: { state: end.state, ...end.data },
    });
    // it never ran: the quota it held while it waited is released with the same commit
    await this.quotas.settle(em, d.id);
    return d;
  }

  /** A person's stop, start, restart, scale or terminate, if the actor may and the state allows. */
  async requestAction(
    em: EntityManager,
    scope: TenantScope,
    id: string,
    request: ActionRequest,
    sameCommit?: (accepted: AcceptedAction) => Promise<void>,
  ): Promise<ActionAnswer> {
    // one locked read serves the tenant check, the actor's check and the state check
    const d = await this.records.lock(em, scope, id);
    if (!d) return { outcome: 'not-found' };
    if (!request.actor.mayAct(d)) return { outcome: 'forbidden' };
    const allowed = allowedActions(d.state);
    if (!allowed.includes(request.action)) return { outcome: 'not-allowed', state: d.state, allowed };
    let scale: ScaleRequest | undefined;
    if (request.action === 'scale') {
      const checked = checkScaleRequest(d, request.tier, request.count);
      if ('problems' in checked) return { outcome: 'invalid', problems: checked.problems };
      scale = checked.scale;
    }
    const state = ACTION_STATE[request.action];
    const accepted: AcceptedAction = { outcome: 'accepted', deployment: d, state, seq: d.seq + 1, scale };
    const scaled = scale ? ` ${scale.tier} to ${scale.count}` : '';
    const event = {
      type: 'action',
      message: `${request.action}${scaled} requested by ${request.actor.name}`,
      data: { action: request.action, ...(scale ?? {}) },
    };
    await this.move(em, scope, d, { state, step: request.action, event, scale }, () =>
      sameCommit ? sameCommit(accepted) : Promise.resolve(),
    );
    return accepted;
  }

  /**
   * A lease that ran out terminates its deployment the way a person's terminate would. Answers
   * the row as it was, or null when it is gone or its state no longer allows it (a person's
   * action came first).
   */
  async expireLease(em: EntityManager, scope: TenantScope, id: string): Promise<DeploymentEntity | null> {
    const d = await this.records.lock(em, scope, id);
    if (!d || !allowedActions(d.state).includes('terminate')) return null;
    const event = {
      type: 'lease.expired',
      message: `lease of ${d.leaseHours} h ran out; terminating`,
      data: { leaseHours: d.leaseHours, orderedAt: d.createdAt.toISOString() },
    };
    await this.move(em, scope, d, { state: 'terminating', step: 'terminate', event });
    return d;
  }

  /** Whether a step job may run now against the row it reads. */
  stepTurn(d: DeploymentEntity | null, job: DeploymentStepJob): StepTurn {
    if (!d || d.seq < job.seq) return 'wait';
    return d.seq > job.seq ? 'stale' : 'run';
  }

  /**
   * A step's result, where the state table says it leads: the row moved on from the job's seq,
   * its event, and the next job. The caller's transaction is the job runner's, which also records
   * the job as done.
   */
  async completeStep(
    em: EntityManager,
    scope: TenantScope,
    d: DeploymentEntity,
    job: DeploymentStepJob,
    result: StepResult,
    timing: StepTiming,
  ): Promise<StepOutcome> {
    const outcome = stepOutcome(d, job.step, result);
    const seq = job.seq + 1;
    const { failure } = outcome;
    const step = outcome.next ?? (failure ? job.step : 'done');
    await this.records.advance(em, scope, d.id, job.seq, {
      ...(outcome.change ?? {}),
      state: outcome.state,
      step,
      seq,
      ...(failure ? { failure } : {}),
    });
    await this.records.addEvent(em, d.id, stepEvent(job.step, outcome, timing));
    // at rest: the quota holds what the deployment holds (a rollback, terminate, scale-down released)
    if (!outcome.next) await this.quotas.settle(em, d.id);
    // queued before the commit; the next step waits (its turn is 'wait') until it can see this one
    if (outcome.next) await this.queueStep(d, outcome.next, seq);
    return outcome;
  }

  /** A person's or the reconciler's move: the next seq, a state, a step to run, its event. */
  private async move(
    em: EntityManager,
    scope: TenantScope,
    d: DeploymentEntity,
    to: { state: DeploymentState; step: DeploymentStep; event: NewDeploymentEvent; scale?: ScaleRequest },
    sameCommit?: () => Promise<void>,
  ): Promise<void> {
    const seq = d.seq + 1;
    await this.records.advance(em, scope, d.id, d.seq, {
      state: to.state,
      step: to.step,
      seq,
      failure: null,
    });
    await this.records.addEvent(em, d.id, to.event);
    await sameCommit?.();
    await this.queueStep(d, to.step, seq, to.scale);
  }

  private async queueStep(
    d: DeploymentEntity,
    step: DeploymentStep,
    seq: number,
    scale?: ScaleRequest,
  ): Promise<void> {
    await this.jobs.add(
      JobName.DeploymentStep,
      { deploymentId: d.id, tenantId: d.tenantId, step, seq, ...(scale ? { scale } : {}) },
      // one job per deployment, seq and step: a repeated add is a no-op
      { jobId: `${d.id}.${seq}.${step}`, attempts: 5 },
    );
  }
}

/** An order's first row in `state`, before any step ran. */
function firstRow(order: DeploymentOrder, state: DeploymentState) {
  return {
    ...order,
    state,
    seq: 0,
    step: 'network' as const,
    networks: {},
    outputs: {},
    failure: null,
    runningAt: null,
    endedAt: null,
  };
}

function environmentsOf(d: DeploymentEntity): string[] {
  const { placement } = d;
  return [...new Set([placement.default, ...Object.values(placement.tiers ?? {})])];
}
