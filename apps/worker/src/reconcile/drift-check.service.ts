import { Inject, Injectable } from '@nestjs/common';
import type { DeploymentEntity, InstanceRowState } from '@switchyard/core/deployments';
import { CloudAccessService } from '../deploy/cloud-access.service.js';
import { DeploymentStore } from '../deploy/deployment-store.service.js';
import { RECONCILE_LIMITS } from './reconcile-limits.js';

/**
 * Compares one settled deployment with what its clouds report: an instance stopped, started or
 * deleted behind Switchyard's back becomes an event and a change of the instance's state.
 */
@Injectable()
export class DriftCheck {
  constructor(
    @Inject(DeploymentStore) private readonly store: DeploymentStore,
    @Inject(CloudAccessService) private readonly clouds: CloudAccessService,
  ) {}

  async run(d: DeploymentEntity): Promise<number> {
    const rows = (await this.store.instances(d.id)).filter(
      (r) => r.cloudId && ['running', 'stopped', 'missing'].includes(r.state),
    );
    const environments = [...new Set(rows.map((r) => r.environment))];
    let drifted = 0;
    // a look, not an operation: a cloud that does not answer quickly is tried again next round
    await this.clouds.withEnvironments(
      d.tenantId,
      environments,
      async (access) => {
        for (const env of environments) {
          const adapter = access.get(env)!.adapter;
          const seen = new Map(
            (await adapter.describeInstances({ 'switchyard:deployment': d.id })).map((i) => [i.id, i]),
          );
          for (const row of rows.filter((r) => r.environment === env)) {
            const actual = observedState(seen.get(row.cloudId!)?.state);
            if (!actual || actual === row.state) continue;
            drifted++;
            await this.store.setInstance(row.id, { state: actual });
            await this.store.event(
              d.id,
              'drift',
              `${row.tier}[${row.index}] is ${actual} on ${env}, not ${row.state}`,
              {
                tier: row.tier,
                index: row.index,
                environment: env,
                cloudId: row.cloudId,
                expected: row.state,
                actual,
              },
            );
          }
        }
      },
      undefined,
      RECONCILE_LIMITS,
    );
    return drifted;
  }
}

/** The instance-row state a cloud's answer means; undefined while it is changing. */
function observedState(state: string | undefined): InstanceRowState | undefined {
  if (state === undefined || state === 'terminated' || state === 'terminating') return 'missing';
  if (state === 'stopped' || state === 'running') return state;
  return undefined;
}
