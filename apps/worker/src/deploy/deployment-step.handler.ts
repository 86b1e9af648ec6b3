import { Inject, Injectable, Logger } from '@nestjs/common';
import { interpolate, type DeploymentPlan, type ExpandedBlueprint } from '@switchyard/blueprints';
import {
  APP_CONFIG,
  DeploymentEntity,
  JobName,
  JobQueue,
  type AppConfig,
  type DeploymentFailure,
  type DeploymentState,
  type DeploymentStep,
  type JobPayloads,
} from '@switchyard/core';
import { HandlesJob, RetryLater, type JobContext, type JobHandler } from '../jobs/job-handler.js';
import { CloudAccessService, type CloudAccess } from './cloud-access.service.js';
import { DeployNetworkStep } from './deploy-network.step.js';
import { DeployPowerStep } from './deploy-power.step.js';
import { DeployProvisionStep } from './deploy-provision.step.js';
import { DeployTeardownStep } from './deploy-teardown.step.js';
import { DeploymentStore } from './deployment-store.service.js';
import { CloudMeter } from './cloud-meter.util.js';
import { StepFailure } from './step-failure.js';
import { teardownRetryDelay } from './teardown-retry-delay.util.js';

type Payload = JobPayloads[JobName.DeploymentStep];

// steps that remove what a deployment made: they cannot be rolled back in turn
const REMOVALS: ReadonlySet<DeploymentStep> = new Set(['rollback', 'terminate']);

interface Outcome {
  state: DeploymentState;
  next?: DeploymentStep;
  failure?: DeploymentFailure | null;
  fields?: Partial<DeploymentEntity>;
}

/**
 * Runs one step of a deployment and queues the next. The step's outcome and the next job are
 * committed together (the job runner's transaction); a job whose seq is behind the deployment's
 * is stale and does nothing, one ahead waits for the commit that queued it.
 */
@Injectable()
@HandlesJob(JobName.DeploymentStep)
export class DeploymentStepHandler implements JobHandler<JobName.DeploymentStep> {
  private readonly logger = new Logger('Deployments');

  constructor(
    @Inject(DeploymentStore) private readonly store: DeploymentStore,
    @Inject(CloudAccessService) private readonly clouds: CloudAccessService,
    @Inject(JobQueue) private readonly jobs: JobQueue,
    @Inject(DeployNetworkStep) private readonly network: DeployNetworkStep,
    @Inject(DeployProvisionStep) private readonly provision: DeployProvisionStep,
    @Inject(DeployTeardownStep) private readonly teardown: DeployTeardownStep,
    @Inject(DeployPowerStep) private readonly power: DeployPowerStep,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle(payload: Payload, ctx: JobContext): Promise<void> {
    const d = await this.store.find(this.store.db.manager, payload.tenantId, payload.deploymentId);
    if (!d || d.seq < payload.seq)
      throw new RetryLater(`deployment ${payload.deploymentId} step not committed yet`);
    if (d.seq > payload.seq) return;
    const plan = d.plan as unknown as DeploymentPlan;
    const environments = plan.tiers.map((t) => t.environment);
    let outcome: Outcome;
    const meter = new CloudMeter();
    const started = performance.now();
    try {
      outcome = await this.clouds.withEnvironments(
        d.tenantId,
        environments,
        (clouds) => this.run(d, clouds, payload),
        meter,
      );
    } catch (err) {
      const cause = StepFailure.fromCloud(payload.step, err, {});
      // a removal must not give up while a cloud is unreachable: it tries again later (RetryLater,
      // nothing committed), with backoff, for as long as TEARDOWN_RETRY_WINDOW_MS allows
      if (REMOVALS.has(payload.step) && cause.transient) await this.retryRemovalLater(d, payload, cause);
      const failure = REMOVALS.has(payload.step) ? await this.leftBehind(d, cause) : cause.toFailure();
      this.logger.warn({ deployment: d.id, failure }, 'deployment step failed');
      outcome = this.onFailure(d, payload.step, failure);
    }
    const timing = { stepMs: Math.round(performance.now() - started), cloudMs: Math.round(meter.busyMs) };
    await this.commit(ctx, d, payload, outcome, timing);
  }

  private async run(d: DeploymentEntity, clouds: Map<string, CloudAccess>, p: Payload): Promise<Outcome> {
    switch (p.step) {
      case 'network':
        await this.network.run(d, clouds);
        return { state: 'provisioning', next: 'provision' };
      case 'provision':
        await this.provision.run(d, clouds);
        return { state: 'provisioning', next: 'configure' };
      case 'configure':
        return {
          state: 'running',
          fields: { outputs: await this.outputs(d), runningAt: d.runningAt ?? new Date() },
        };
      case 'stop':
      case 'start':
      case 'restart':
        await this.power.run(d, clouds, p.step);
        return { state: p.step === 'stop' ? 'stopped' : 'running' };
      case 'scale':
        return { state: 'running', fields: await this.scale(d, clouds, p.scale!) };
      case 'rollback':
        await this.teardown.run(d, clouds, 'rollback');
        return { state: 'failed', fields: { endedAt: new Date() } };
      case 'terminate':
        await this.teardown.run(d, clouds, 'terminate');
        return { state: 'terminated', fields: { endedAt: new Date() } };
      case 'done':
        return { state: d.state };
    }
    return { state: d.state };
  }

  /** Throws RetryLater with the next pause, or returns once the window is spent. */
  private async retryRemovalLater(d: DeploymentEntity, p: Payload, cause: StepFailure): Promise<void> {
    const { teardownRetryWindowMs: windowMs, teardownRetryMaxDelayMs: maxDelayMs } = this.config.worker;
    const { tries, elapsedMs } = await this.store.retries(d.id, p.seq);
    const delayMs = teardownRetryDelay({ tries, elapsedMs, windowMs, maxDelayMs, random: Math.random() });
    if (delayMs === undefined) return;
    const on = cause.where.environment ? ` on ${cause.where.environment}` : '';
    await this.store.event(
      d.id,
      'step.retrying',
      `${p.step} waits for the cloud${on}: ${cause.message}; next try in ${(delayMs / 1000).toFixed(1)} s`,
      // seq: the tries of this step are counted, and its window measured, from these events
      { step: p.step, seq: p.seq, try: tries + 1, delayMs, windowMs, failure: cause.toFailure() },
    );
    throw new RetryLater(`${p.step} of deployment ${d.id} retries in ${delayMs} ms`, delayMs);
  }

  /** A removal's failure with what it left on the clouds, so that an operator can retry terminate. */
  private async leftBehind(d: DeploymentEntity, cause: StepFailure): Promise<DeploymentFailure> {
    const left = (await this.store.instances(d.id))
      .filter((r) => r.state !== 'terminated')
      .map((r) => ({
        tier: r.tier,
        index: r.index,
        environment: r.environment,
        provider: r.provider,
        cloudId: r.cloudId,
      }));
    const list = left
      .map(
        (i) =>
          `${i.tier}[${i.index}] ${i.cloudId ?? '(id unknown: its create may have reached the cloud)'} on ` +
          `${i.environment} (${i.provider})`,
      )
      .join(', ');
    const windowMs = this.config.worker.teardownRetryWindowMs;
    const retried =
      cause.transient && windowMs > 0
        ? ` (still failing after ${Math.round(windowMs / 1000)} s of retries)`
        : '';
    const message =
      `${cause.message}${retried}; ` +
      (left.length
        ? `left behind: ${list}, with the deployment's fabric network, groups and policies; terminate retries the removal`
        : 'every instance is removed; terminate removes the fabric objects left');
    return {
      ...cause.toFailure(),
      message,
      left,
      ...(cause.step === 'rollback' && d.failure ? { cause: d.failure } : {}),
    };
  }

  private onFailure(d: DeploymentEntity, step: DeploymentStep, failure: DeploymentFailure): Outcome {
    // a failed removal cannot be rolled back in turn: it stays failed, and terminate may retry it
    if (REMOVALS.has(step)) return { state: 'failed', failure, fields: { endedAt: new Date() } };
    if (['network', 'provision', 'configure'].includes(step) && d.rollbackOnFailure) {
      return { state: 'rolling-back', next: 'rollback', failure };
    }
    if (['network', 'provision', 'configure'].includes(step)) return { state: 'failed', failure };
    // an action that failed leaves the deployment as it was, with the reason
    return { state: step === 'stop' ? 'running' : step === 'start' ? 'stopped' : 'running', failure };
  }

  private async scale(
    d: DeploymentEntity,
    clouds: Map<string, CloudAccess>,
    scale: { tier: string; count: number },
  ): Promise<Partial<DeploymentEntity>> {
    const plan = d.plan as unknown as DeploymentPlan;
    const rows = (await this.store.instances(d.id)).filter(
      (r) => r.tier === scale.tier && r.state !== 'terminated',
    );
    for (const row of rows.filter((r) => r.index >= scale.count).sort((a, b) => b.index - a.index)) {
      await this.teardown.removeInstance(d, row, clouds, 'scale');
    }
    const counts = Object.fromEntries(
      plan.tiers.map((t) => [t.tier, t.tier === scale.tier ? scale.count : t.count]),
    );
    await this.provision.run(d, clouds, counts);
    const tiers = plan.tiers.map((t) => (t.tier === scale.tier ? { ...t, count: scale.count } : t));
    return { plan: { ...plan, tiers } as unknown as Record<string, unknown>, outputs: await this.outputs(d) };
  }

  private async outputs(d: DeploymentEntity): Promise<Record<string, string>> {
    const blueprint = d.blueprint as unknown as ExpandedBlueprint;
    const rows = (await this.store.instances(d.id)).filter((r) => r.state !== 'terminated');
    const first = (tier: string) => rows.find((r) => r.tier === tier && r.address)?.address ?? '';
    // secrets never reach outputs (the validator refuses them there); the redacted values suffice
    return Object.fromEntries(
      Object.entries(blueprint.outputs).map(([k, v]) => [k, interpolate(v, d.parameters, first)]),
    );
  }

  private async commit(
    ctx: JobContext,
    d: DeploymentEntity,
    p: Payload,
    outcome: Outcome,
    timing: { stepMs: number; cloudMs: number },
  ): Promise<void> {
    const seq = p.seq + 1;
    const step = outcome.next ?? (outcome.failure ? p.step : 'done');
    const failure = outcome.failure;
    const where = failure
      ? `${failure.tier ? ` on ${failure.tier}` : ''}${failure.environment ? ` (${failure.environment})` : ''}`
      : '';
    const message = failure
      ? `${p.step} failed${where}: ${failure.message}`
      : `${p.step} done; deployment is ${outcome.state}`;
    // the outcome, its event and the next job: one commit, with the job's ledger row
    await ctx.commit(async (em) => {
      await em.update(DeploymentEntity, { id: d.id, seq: p.seq }, {
        ...(outcome.fields ?? {}),
        state: outcome.state,
        step,
        seq,
        ...(failure !== undefined ? { failure } : {}),
      } as never);
      await this.store.event(
        d.id,
        failure ? 'step.failed' : 'state',
        message,
        // time in the step, and the part of it spent waiting on clouds
        { step: p.step, state: outcome.state, ...timing, ...(failure ? { failure } : {}) },
        em,
      );
      // queued before the commit; the next step waits (RetryLater) until it can see this one
      if (outcome.next) {
        await this.jobs.add(
          JobName.DeploymentStep,
          { deploymentId: d.id, tenantId: d.tenantId, step: outcome.next, seq },
          { jobId: `${d.id}.${seq}.${outcome.next}`, attempts: 5 },
        );
      }
    });
  }
}
