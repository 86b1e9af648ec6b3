import { Inject, Injectable } from '@nestjs/common';
import type { InstanceState } from '@switchyard/cloud-adapters';
import type { DeploymentEntity, DeploymentStep, InstanceRowState } from '@switchyard/core/deployments';
import type { CloudAccess } from './cloud-access.service.js';
import { DeploymentStore } from './deployment-store.service.js';
import { StepFailure } from './step-failure.js';

const POWER_DEADLINE_MS = 5 * 60_000;

const POWER: Record<'stop' | 'start' | 'restart', { target: InstanceState; row: InstanceRowState }> = {
  stop: { target: 'stopped', row: 'stopped' },
  start: { target: 'running', row: 'running' },
  restart: { target: 'running', row: 'running' },
};

/** Stops, starts or restarts every instance of a deployment, all tiers at once. */
@Injectable()
export class DeployPowerStep {
  constructor(@Inject(DeploymentStore) private readonly store: DeploymentStore) {}

  async run(d: DeploymentEntity, clouds: Map<string, CloudAccess>, step: 'stop' | 'start' | 'restart') {
    const rows = (await this.store.instances(d.id)).filter((r) => r.cloudId && r.state !== 'terminated');
    await Promise.all(
      rows.map(async (row) => {
        const access = clouds.get(row.environment)!;
        const id = row.cloudId!;
        try {
          if (step === 'stop') await access.adapter.stopInstance(id);
          else if (step === 'start') await access.adapter.startInstance(id);
          else await access.adapter.rebootInstance(id);
          await access.adapter.waitForState(id, POWER[step].target, { timeoutMs: POWER_DEADLINE_MS });
        } catch (err) {
          throw StepFailure.fromCloud(step as DeploymentStep, err, {
            tier: row.tier,
            environment: row.environment,
            provider: row.provider,
          });
        }
        await this.store.setInstance(row.id, { state: POWER[step].row });
        await this.store.event(
          d.id,
          `instance.${POWER[step].row}`,
          `${row.tier}[${row.index}] is ${POWER[step].row}`,
          {
            tier: row.tier,
            index: row.index,
            cloudId: id,
          },
        );
      }),
    );
  }
}
