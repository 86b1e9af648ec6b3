import { Inject, Injectable } from '@nestjs/common';
import { interpolate, type DeploymentPlan, type ExpandedBlueprint } from '@switchyard/blueprints';
import type {
  DeploymentEntity,
  DeploymentStepJob,
  ScaleRequest,
  StepFindings,
} from '@switchyard/core/deployments';
import type { CloudAccess } from './cloud-access.service.js';
import { DeployNetworkStep } from './deploy-network.step.js';
import { DeployPowerStep } from './deploy-power.step.js';
import { DeployProvisionStep } from './deploy-provision.step.js';
import { DeployTeardownStep } from './deploy-teardown.step.js';
import { DeploymentStore } from './deployment-store.service.js';

/**
 * The work of each deployment step on the clouds and the fabric. A step answers what it found
 * out (outputs, a scaled plan) or throws; where that leads is the lifecycle's to say.
 */
@Injectable()
export class DeploymentSteps {
  constructor(
    @Inject(DeploymentStore) private readonly store: DeploymentStore,
    @Inject(DeployNetworkStep) private readonly network: DeployNetworkStep,
    @Inject(DeployProvisionStep) private readonly provision: DeployProvisionStep,
    @Inject(DeployTeardownStep) private readonly teardown: DeployTeardownStep,
    @Inject(DeployPowerStep) private readonly power: DeployPowerStep,
  ) {}

  async run(
    d: DeploymentEntity,
    clouds: Map<string, CloudAccess>,
    job: DeploymentStepJob,
  ): Promise<StepFindings> {
    switch (job.step) {
      case 'network':
        await this.network.run(d, clouds);
        return {};
      case 'provision':
        await this.provision.run(d, clouds);
        return {};
      case 'configure':
        return { outputs: await this.outputs(d) };
      case 'stop':
      case 'start':
      case 'restart':
        await this.power.run(d, clouds, job.step);
        return {};
      case 'scale':
        return this.scale(d, clouds, job.scale!);
      case 'rollback':
      case 'terminate':
        await this.teardown.run(d, clouds, job.step);
        return {};
      case 'done':
        return {};
    }
  }

  /** Removes the instances above the new count (highest first), then creates the missing ones. */
  private async scale(
    d: DeploymentEntity,
    clouds: Map<string, CloudAccess>,
    scale: ScaleRequest,
  ): Promise<StepFindings> {
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
}
