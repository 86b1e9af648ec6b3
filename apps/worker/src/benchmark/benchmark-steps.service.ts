import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DeploymentPlan } from '@switchyard/blueprints';
import {
  BenchmarkFlow,
  BenchmarkRepository,
  candidateResult,
  rankCandidates,
  type BenchmarkCandidateEntity,
  type BenchmarkEntity,
  type BenchmarkStepJob,
  type CandidateState,
} from '@switchyard/core/benchmarks';
import { tenantOnly, type TenantScope } from '@switchyard/core/database';
import {
  DeploymentLifecycle,
  DeploymentRepository,
  allowedActions,
  type DeploymentEntity,
} from '@switchyard/core/deployments';
import { planAmounts, QuotaLedger, type QuotaPlan } from '@switchyard/core/governance';
import { CloudAccountsRepository } from '../clouds/cloud-accounts.repository.js';
import { RetryLater, type JobContext } from '../jobs/job-handler.js';
import { LoadGenerator } from './load-generator.service.js';
import { workloadReach } from './workload-reach.util.js';

// how often a candidate looks at its deployment again, and how long it waits for it to run
const POLL_MS = 2_000;
const RUNNING_WITHIN_MS = 30 * 60_000;

/**
 * A candidate's steps: order its deployment, wait until it runs, measure it (a warm-up, then one
 * job per run), terminate it and wait until it is gone; then the ranking. Each step does its
 * slow work first and commits its outcome with the next step, under the candidate's row lock and
 * only while the candidate is still at the job's seq (a cancel overtakes it).
 */
@Injectable()
export class BenchmarkSteps {
  private readonly logger = new Logger('Benchmark');

  constructor(
    @Inject(BenchmarkRepository) private readonly benchmarks: BenchmarkRepository,
    @Inject(BenchmarkFlow) private readonly flow: BenchmarkFlow,
    @Inject(DeploymentRepository) private readonly deployments: DeploymentRepository,
    @Inject(DeploymentLifecycle) private readonly lifecycle: DeploymentLifecycle,
    @Inject(CloudAccountsRepository) private readonly accounts: CloudAccountsRepository,
    @Inject(LoadGenerator) private readonly load: LoadGenerator,
    @Inject(QuotaLedger) private readonly quotas: QuotaLedger,
  ) {}

  async run(c: BenchmarkCandidateEntity, job: BenchmarkStepJob, ctx: JobContext): Promise<void> {
    const scope = tenantOnly(c.tenantId);
    const b = await this.benchmarks.find(scope, c.benchmarkId);
    if (!b) return;
    switch (job.step) {
      case 'deploy':
        return this.deploy(scope, b, c, job, ctx);
      case 'await-running':
        return this.awaitRunning(scope, c, job, ctx);
      case 'measure':
        return this.measure(scope, b, c, job, ctx);
      case 'terminate':
        return this.terminate(scope, b, c, job, ctx);
      case 'await-terminated':
        return this.awaitTerminated(scope, b, c, job, ctx);
      case 'finish':
        return this.finish(scope, b, ctx);
    }
  }

  /** Runs `fn` in the job's commit if the candidate is still at the job's seq. */
  private async commitAtSeq(
    ctx: JobContext,
    scope: TenantScope,
    job: BenchmarkStepJob,
    fn: (
      em: Parameters<Parameters<JobContext['commit']>[0]>[0],
      c: BenchmarkCandidateEntity,
    ) => Promise<void>,
  ): Promise<void> {
    await ctx.commit(async (em) => {
      const c = await this.benchmarks.lockCandidate(em, scope, job.candidateId);
      if (!c || c.seq !== job.seq) return;
      await fn(em, c);
    });
  }

  private async deploy(
    scope: TenantScope,
    b: BenchmarkEntity,
    c: BenchmarkCandidateEntity,
    job: BenchmarkStepJob,
    ctx: JobContext,
  ): Promise<void> {
    await this.commitAtSeq(ctx, scope, job, async (em, locked) => {
      const exists = await this.deployments.lock(em, scope, locked.deploymentId);
      if (!exists) {
        // quotas hold as for any order: the reservation is checked first, written with the order
        const need = planAmounts(locked.deploymentOrder.plan as unknown as QuotaPlan);
        const refused = await this.quotas.refusals(em, locked.tenantId, locked.deploymentId, need);
        if (refused.length > 0) {
          const reason = `quota.exceeded: ${refused[0]!.message}`;
          return this.flow.step(em, scope, locked, 'terminate', { state: 'tearing-down', reason });
        }
        await this.lifecycle.order(
          em,
          scope,
          { ...locked.deploymentOrder, id: locked.deploymentId },
          `benchmark ${b.id} (candidate ${locked.position + 1}: ${locked.label})`,
        );
        await this.quotas.reserve(em, locked.tenantId, locked.deploymentId, need);
      }
      await this.flow.step(em, scope, locked, 'await-running');
    });
  }

  private async awaitRunning(
    scope: TenantScope,
    c: BenchmarkCandidateEntity,
    job: BenchmarkStepJob,
    ctx: JobContext,
  ): Promise<void> {
    const d = await this.deployments.find(scope, c.deploymentId);
    if (d?.state === 'running') {
      return this.commitAtSeq(ctx, scope, job, (em, locked) =>
        this.flow.step(em, scope, locked, 'measure', { state: 'measuring', nextRun: 0 }),
      );
    }
    const waited = Date.now() - (c.stepStartedAt?.getTime() ?? Date.now());
    let reason: string | undefined;
    if (!d) reason = 'its deployment is gone';
    else if (['failed', 'terminated', 'terminating'].includes(d.state))
      reason = `its deployment ${d.state}${d.failure ? `: ${d.failure.message}` : ''}`;
    else if (waited > RUNNING_WITHIN_MS)
      reason = `its deployment was not running after ${RUNNING_WITHIN_MS / 60_000} minutes`;
    if (!reason) throw new RetryLater(`deployment ${c.deploymentId} is ${d?.state}`, POLL_MS);
    await this.commitAtSeq(ctx, scope, job, (em, locked) =>
      this.flow.step(em, scope, locked, 'terminate', { state: 'tearing-down', reason }),
    );
  }

  private async measure(
    scope: TenantScope,
    b: BenchmarkEntity,
    c: BenchmarkCandidateEntity,
    job: BenchmarkStepJob,
    ctx: JobContext,
  ): Promise<void> {
    const stop = (reason: string) =>
      this.commitAtSeq(ctx, scope, job, (em, locked) =>
        this.flow.step(em, scope, locked, 'terminate', { state: 'tearing-down', reason }),
      );
    const d = await this.deployments.find(scope, c.deploymentId);
    if (!d) return stop('its deployment is gone');
    const target = await this.target(scope, b, d);
    if ('reason' in target) return stop(target.reason);
    if (c.nextRun === 0) {
      const silent = await this.load.probe(target, b.load);
      if (silent) return stop(`the target did not answer HTTP: ${silent}`);
    }
    let figures;
    try {
      if (c.nextRun === 0) await this.load.warmUp(target, b.load);
      figures = await this.load.run(target, b.load, c.nextRun);
    } catch (err) {
      this.logger.warn({ benchmark: b.id, candidate: c.position, err }, 'load generator failed');
      return stop(`the load generator failed: ${(err as Error).message}`);
    }
    await this.commitAtSeq(ctx, scope, job, async (em, locked) => {
      await this.benchmarks.addRun(em, locked.id, figures);
      if (locked.nextRun + 1 < b.runs) {
        await this.flow.step(em, scope, locked, 'measure', { nextRun: locked.nextRun + 1 });
        return;
      }
      const runs = (await this.benchmarks.runs(scope, [locked.id], em)).map((r) => r.figures);
      const result = candidateResult(runs, { hourly: locked.hourlyCost, currency: locked.currency }, b.slo);
      await this.flow.step(em, scope, locked, 'terminate', { state: 'tearing-down', result });
    });
  }

  /** The target tier's running instances, if the worker can put load on them. */
  private async target(
    scope: TenantScope,
    b: BenchmarkEntity,
    d: DeploymentEntity,
  ): Promise<{ addresses: string[] } | { reason: string }> {
    const tier = (d.plan as unknown as DeploymentPlan).tiers.find((t) => t.tier === b.load.target);
    if (!tier) return { reason: `the deployment has no tier ${b.load.target}` };
    const found = await this.accounts.environment(scope.tenantId, tier.environment);
    if (!found) return { reason: `environment ${tier.environment} is gone` };
    const reach = workloadReach(found.account);
    if (!reach.measurable) return { reason: reach.reason };
    const addresses = (await this.deployments.instances(scope, d.id))
      .filter((i) => i.tier === b.load.target && i.state === 'running' && i.address)
      .map((i) => i.address!);
    if (addresses.length === 0)
      return { reason: `tier ${b.load.target} has no running instance with an address` };
    return { addresses };
  }

  private async terminate(
    scope: TenantScope,
    b: BenchmarkEntity,
    c: BenchmarkCandidateEntity,
    job: BenchmarkStepJob,
    ctx: JobContext,
  ): Promise<void> {
    const d = await this.deployments.find(scope, c.deploymentId);
    if (!d) {
      // never ordered (cancelled before its deploy step committed): nothing to remove
      return this.commitAtSeq(ctx, scope, job, (em, locked) =>
        this.flow.settle(em, scope, locked, finalState(b, locked)),
      );
    }
    if (d.state === 'terminated' || d.state === 'terminating') {
      return this.commitAtSeq(ctx, scope, job, (em, locked) =>
        this.flow.step(em, scope, locked, 'await-terminated'),
      );
    }
    // a deployment still provisioning, stopping or rolling back is terminated once it settles
    if (!allowedActions(d.state).includes('terminate'))
      throw new RetryLater(`deployment ${d.id} is ${d.state}`, POLL_MS);
    await this.commitAtSeq(ctx, scope, job, async (em, locked) => {
      const answer = await this.lifecycle.requestAction(em, scope, d.id, {
        action: 'terminate',
        actor: { name: `benchmark ${b.id}`, mayAct: () => true },
      });
      if (answer.outcome !== 'accepted') throw new RetryLater(`deployment ${d.id} moved on`, POLL_MS);
      await this.flow.step(em, scope, locked, 'await-terminated');
    });
  }

  private async awaitTerminated(
    scope: TenantScope,
    b: BenchmarkEntity,
    c: BenchmarkCandidateEntity,
    job: BenchmarkStepJob,
    ctx: JobContext,
  ): Promise<void> {
    const d = await this.deployments.find(scope, c.deploymentId);
    if (d && d.state !== 'terminated' && d.state !== 'failed')
      throw new RetryLater(`deployment ${d.id} is ${d.state}`, POLL_MS);
    await this.commitAtSeq(ctx, scope, job, async (em, locked) => {
      if (d?.state === 'failed') {
        const left = d.failure?.left?.map((i) => `${i.tier}/${i.index} on ${i.environment}`).join(', ');
        const message = `terminate failed: ${d.failure?.message ?? 'unknown'}${left ? ` (left: ${left})` : ''}`;
        const held = await this.benchmarks.lock(em, scope, b.id);
        if (held) {
          const leftBehind = [
            ...held.leftBehind.filter((l) => l.deploymentId !== d.id),
            { candidate: locked.position, deploymentId: d.id, message },
          ];
          await this.benchmarks.update(em, scope, b.id, { leftBehind });
        }
      }
      await this.flow.settle(em, scope, locked, finalState(b, locked));
    });
  }

  /** The ranking over the measured candidates, once every candidate is settled. */
  async finish(scope: TenantScope, b: BenchmarkEntity, ctx: JobContext): Promise<void> {
    const candidates = await this.benchmarks.candidates(scope, b.id);
    const measured = candidates
      .filter((c) => c.state === 'measured' && c.result)
      .map((c) => ({ position: c.position, label: c.label, result: c.result! }));
    const ranking = rankCandidates(measured);
    await ctx.commit(async (em) => {
      const held = await this.benchmarks.lock(em, scope, b.id);
      if (!held || held.endedAt) return;
      const state = held.state === 'cancelling' ? 'cancelled' : 'completed';
      await this.benchmarks.update(em, scope, b.id, { state, ranking, endedAt: new Date() });
    });
  }
}

/** Where a torn-down candidate ends: measured with a result, else why it has none. */
function finalState(b: BenchmarkEntity, c: BenchmarkCandidateEntity): CandidateState {
  if (c.result) return 'measured';
  if (c.reason?.startsWith('not measurable here')) return 'not-measurable';
  if (c.reason === 'cancelled') return 'cancelled';
  return 'failed';
}
