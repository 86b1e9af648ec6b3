import { Inject, Injectable } from '@nestjs/common';
import type { DeploymentPlan } from '@switchyard/blueprints';
import { tenantOnly } from '@switchyard/core/database';
import {
  DeploymentLifecycle,
  DeploymentRepository,
  type DeploymentStepJob,
  type StepResult,
} from '@switchyard/core/deployments';
import { JobName } from '@switchyard/core/queue';
import { HandlesJob, RetryLater, type JobContext, type JobHandler } from '../jobs/job-handler.js';
import { CloudAccessService } from './cloud-access.service.js';
import { CloudMeter } from './cloud-meter.util.js';
import { DeploymentSteps } from './deployment-steps.service.js';
import { StepFailures } from './step-failures.service.js';

/**
 * Runs one step of a deployment: unpacks the job, runs the step on the deployment's clouds, and
 * hands the result to the lifecycle, which records it and queues the next step in the job
 * runner's transaction (so it happens once per job).
 */
@Injectable()
@HandlesJob(JobName.DeploymentStep)
export class DeploymentStepHandler implements JobHandler<JobName.DeploymentStep> {
  constructor(
    @Inject(DeploymentRepository) private readonly deployments: DeploymentRepository,
    @Inject(DeploymentLifecycle) private readonly lifecycle: DeploymentLifecycle,
    @Inject(CloudAccessService) private readonly clouds: CloudAccessService,
    @Inject(DeploymentSteps) private readonly steps: DeploymentSteps,
    @Inject(StepFailures) private readonly failures: StepFailures,
  ) {}

  async handle(job: DeploymentStepJob, ctx: JobContext): Promise<void> {
    const scope = tenantOnly(job.tenantId);
    const d = await this.deployments.find(scope, job.deploymentId);
    const turn = this.lifecycle.stepTurn(d, job);
    if (turn === 'wait' || !d) throw new RetryLater(`deployment ${job.deploymentId} step not committed yet`);
    if (turn === 'stale') return;
    const environments = (d.plan as unknown as DeploymentPlan).tiers.map((t) => t.environment);
    const meter = new CloudMeter();
    const started = performance.now();
    let result: StepResult;
    try {
      const found = await this.clouds.withEnvironments(
        d.tenantId,
        environments,
        (clouds) => this.steps.run(d, clouds, job),
        meter,
      );
      result = { found };
    } catch (err) {
      result = { failure: await this.failures.describe(d, job, err) };
    }
    // time in the step, and the part of it spent waiting on clouds
    const timing = { stepMs: Math.round(performance.now() - started), cloudMs: Math.round(meter.busyMs) };
    await ctx.commit((em) => this.lifecycle.completeStep(em, scope, d, job, result, timing));
  }
}
