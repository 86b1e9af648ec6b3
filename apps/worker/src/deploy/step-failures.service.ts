import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchyard/core/config';
import {
  REMOVAL_STEPS,
  type DeploymentEntity,
  type DeploymentFailure,
  type DeploymentStepJob,
} from '@switchyard/core/deployments';
import { RetryLater } from '../jobs/job-handler.js';
import { DeploymentStore } from './deployment-store.service.js';
import { StepFailure } from './step-failure.js';
import { teardownRetryDelay } from './teardown-retry-delay.util.js';

/**
 * What a step's error means for its deployment: the failure to record (which step, tier, cloud
 * and the cloud's own error), or, for a removal that cannot reach a cloud, another try later.
 */
@Injectable()
export class StepFailures {
  private readonly logger = new Logger('Deployments');

  constructor(
    @Inject(DeploymentStore) private readonly store: DeploymentStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The failure to record; throws RetryLater while a removal may still wait for its cloud. */
  async describe(d: DeploymentEntity, job: DeploymentStepJob, err: unknown): Promise<DeploymentFailure> {
    const cause = StepFailure.fromCloud(job.step, err, {});
    const removal = REMOVAL_STEPS.has(job.step);
    // a removal must not give up while a cloud is unreachable: it tries again later (RetryLater,
    // nothing committed), with backoff, for as long as TEARDOWN_RETRY_WINDOW_MS allows
    if (removal && cause.transient) await this.retryRemovalLater(d, job, cause);
    const failure = removal ? await this.leftBehind(d, cause) : cause.toFailure();
    this.logger.warn({ deployment: d.id, failure }, 'deployment step failed');
    return failure;
  }

  /** Throws RetryLater with the next pause, or returns once the window is spent. */
  private async retryRemovalLater(
    d: DeploymentEntity,
    job: DeploymentStepJob,
    cause: StepFailure,
  ): Promise<void> {
    const { teardownRetryWindowMs: windowMs, teardownRetryMaxDelayMs: maxDelayMs } = this.config.worker;
    const { tries, elapsedMs } = await this.store.retries(d.id, job.seq);
    const delayMs = teardownRetryDelay({ tries, elapsedMs, windowMs, maxDelayMs, random: Math.random() });
    if (delayMs === undefined) return;
    const on = cause.where.environment ? ` on ${cause.where.environment}` : '';
    await this.store.event(
      d.id,
      'step.retrying',
      `${job.step} waits for the cloud${on}: ${cause.message}; next try in ${(delayMs / 1000).toFixed(1)} s`,
      // seq: the tries of this step are counted, and its window measured, from these events
      { step: job.step, seq: job.seq, try: tries + 1, delayMs, windowMs, failure: cause.toFailure() },
    );
    throw new RetryLater(`${job.step} of deployment ${d.id} retries in ${delayMs} ms`, delayMs);
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
}
