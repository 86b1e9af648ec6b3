import { Inject, Injectable, Logger } from '@nestjs/common';
import { DeploymentEntity, JobName, type JobPayloads } from '@switchyard/core';
import { In } from 'typeorm';
import { HandlesJob, type JobContext, type JobHandler } from '../jobs/job-handler.js';
import { CloudAccessService } from './cloud-access.service.js';
import { DeploymentStore } from './deployment-store.service.js';

/**
 * Compares what Postgres believes with what the clouds report, for settled deployments: an
 * instance stopped or gone behind Switchyard's back becomes an event and a state change.
 */
@Injectable()
@HandlesJob(JobName.Reconcile)
export class ReconcileHandler implements JobHandler<JobName.Reconcile> {
  private readonly logger = new Logger('Reconcile');

  constructor(
    @Inject(DeploymentStore) private readonly store: DeploymentStore,
    @Inject(CloudAccessService) private readonly clouds: CloudAccessService,
  ) {}

  async handle(_payload: JobPayloads[JobName.Reconcile], _ctx: JobContext): Promise<void> {
    const deployments = await this.store.db
      .getRepository(DeploymentEntity)
      .findBy({ state: In(['running', 'stopped']) });
    for (const d of deployments) {
      try {
        await this.reconcile(d);
      } catch (err) {
        this.logger.warn({ deployment: d.id, err: (err as Error).message }, 'could not reconcile');
      }
    }
  }

  private async reconcile(d: DeploymentEntity): Promise<void> {
    const rows = (await this.store.instances(d.id)).filter(
      (r) => r.cloudId && ['running', 'stopped'].includes(r.state),
    );
    const environments = [...new Set(rows.map((r) => r.environment))];
    // a look, not an operation: a cloud that does not answer quickly is tried again next round
    await this.clouds.withEnvironments(
      d.tenantId,
      environments,
      async (access) => {
        for (const env of environments) {
          const seen = new Map(
            (await access.get(env)!.adapter.describeInstances({ 'switchyard:deployment': d.id })).map((i) => [
              i.id,
              i,
            ]),
          );
          for (const row of rows.filter((r) => r.environment === env)) {
            const actual = seen.get(row.cloudId!);
            const state = !actual
              ? 'missing'
              : actual.state === 'stopped'
                ? 'stopped'
                : actual.state === 'running'
                  ? 'running'
                  : undefined;
            if (!state || state === row.state) continue;
            await this.store.setInstance(row.id, { state });
            await this.store.event(
              d.id,
              'drift',
              `${row.tier}[${row.index}] is ${state} on ${env}, not ${row.state}`,
              {
                tier: row.tier,
                index: row.index,
                environment: env,
                cloudId: row.cloudId,
                expected: row.state,
                actual: state,
              },
            );
          }
        }
      },
      undefined,
      { requestTimeoutMs: 5_000, maxAttempts: 1 },
    );
  }
}
