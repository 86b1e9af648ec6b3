import { Inject, Injectable, Logger } from '@nestjs/common';
import { DeploymentRepository } from '@switchyard/core/deployments';
import { JobName, type JobPayloads } from '@switchyard/core/queue';
import { DataSource } from 'typeorm';
import { BenchmarkRepeats } from '../benchmark/benchmark-repeats.service.js';
import { HandlesJob, type JobContext, type JobHandler } from '../jobs/job-handler.js';
import { ApprovalExpiry } from '../governance/approval-expiry.service.js';
import { WebhookRequeue } from '../governance/webhook-requeue.service.js';
import { BudgetAlerts } from './budget-alerts.service.js';
import { DriftCheck } from './drift-check.service.js';
import { LeaseExpiry } from './lease-expiry.js';
import { OrphanSweep } from './orphan-sweep.service.js';
import { SessionSweep } from './session-sweep.service.js';

/**
 * One reconcile round (a repeatable job): leases ending soon are warned, leases that ran out are
 * terminated, approvals nobody decided in time expire, webhook deliveries that lost their job get a
 * new one, benchmark schedules that are due start their repeats, settled deployments are compared with their clouds (drift), every environment is swept
 * for instances tagged as Switchyard's that no deployment owns (orphans), sign-in sessions that
 * ended over a day ago are deleted, and budgets' thresholds reached raise their alerts. One round at
 * a time: a round that finds another still going skips.
 */
@Injectable()
@HandlesJob(JobName.Reconcile)
export class ReconcileHandler implements JobHandler<JobName.Reconcile> {
  private readonly logger = new Logger('Reconcile');

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(DeploymentRepository) private readonly deployments: DeploymentRepository,
    @Inject(DriftCheck) private readonly drift: DriftCheck,
    @Inject(OrphanSweep) private readonly orphans: OrphanSweep,
    @Inject(LeaseExpiry) private readonly leases: LeaseExpiry,
    @Inject(SessionSweep) private readonly sessions: SessionSweep,
    @Inject(BudgetAlerts) private readonly budgets: BudgetAlerts,
    @Inject(ApprovalExpiry) private readonly approvals: ApprovalExpiry,
    @Inject(WebhookRequeue) private readonly webhooks: WebhookRequeue,
    @Inject(BenchmarkRepeats) private readonly repeats: BenchmarkRepeats,
  ) {}

  async handle(_payload: JobPayloads[JobName.Reconcile], _ctx: JobContext): Promise<void> {
    const lock = this.db.createQueryRunner();
    await lock.connect();
    try {
      const [{ got }] = await lock.query(
        `SELECT pg_try_advisory_lock(hashtext('switchyard:reconcile')) AS got`,
      );
      if (!got) {
        this.logger.log('reconcile round skipped: another round is running');
        return;
      }
      try {
        await this.round();
      } finally {
        await lock.query(`SELECT pg_advisory_unlock(hashtext('switchyard:reconcile'))`);
      }
    } finally {
      await lock.release();
    }
  }

  private async round(): Promise<void> {
    const started = performance.now();
    const warned = await this.leases.warn();
    const expired = await this.leases.run();
    const approvalsExpired = await this.approvals.run();
    const webhooksRequeued = await this.webhooks.run();
    const benchmarkRepeats = await this.repeats.run();
    const deployments = await this.deployments.findSettledSystemWide();
    let drifted = 0;
    for (const d of deployments) {
      try {
        drifted += await this.drift.run(d);
      } catch (err) {
        this.logger.warn({ deployment: d.id, err: (err as Error).message }, 'could not reconcile');
      }
    }
    const swept = await this.orphans.run();
    const sessionsDeleted = await this.sessions.run();
    const budgetAlerts = await this.budgets.run();
    this.logger.log(
      {
        leasesWarned: warned.length,
        leasesExpired: expired.length,
        approvalsExpired,
        webhooksRequeued,
        benchmarkRepeats,
        deployments: deployments.length,
        drifted,
        orphans: swept.reduce((n, s) => n + s.orphans, 0),
        orphansRemoved: swept.reduce((n, s) => n + s.removed, 0),
        sessionsDeleted,
        budgetAlerts: budgetAlerts.length,
        ms: Math.round(performance.now() - started),
      },
      'reconcile round',
    );
  }
}
