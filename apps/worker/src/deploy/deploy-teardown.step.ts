import { Inject, Injectable } from '@nestjs/common';
import type { DeploymentPlan } from '@switchyard/blueprints';
import { switchyardTags } from '@switchyard/cloud-adapters';
import {
  GuestTokens,
  type DeploymentEntity,
  type DeploymentInstanceEntity,
  type DeploymentStep,
} from '@switchyard/core/deployments';
import { Fabric } from '@switchyard/network-fabric';
import type { CloudAccess } from './cloud-access.service.js';
import { DeploymentStore, fabricPrefix } from './deployment-store.service.js';
import { settleAll } from './settle-all.util.js';
import { StepFailure } from './step-failure.js';

const TERMINATED_DEADLINE_MS = 5 * 60_000;

/**
 * Removes what a deployment made, in reverse dependency order: instances (and their addresses),
 * the clouds' networks and security groups, then the fabric's groups, policies and networks. Each
 * removal is idempotent, so a rerun after a crash finishes the job.
 */
@Injectable()
export class DeployTeardownStep {
  constructor(
    @Inject(DeploymentStore) private readonly store: DeploymentStore,
    @Inject(Fabric) private readonly fabric: Fabric,
    @Inject(GuestTokens) private readonly guestTokens: GuestTokens,
  ) {}

  async run(d: DeploymentEntity, clouds: Map<string, CloudAccess>, step: DeploymentStep) {
    const plan = d.plan as unknown as DeploymentPlan;
    const rows = await this.store.instances(d.id);
    // a stage that cannot be removed (its cloud does not answer) keeps the stages it depends on
    for (const stage of [...plan.stages].reverse()) {
      await settleAll(
        rows.filter((r) => stage.includes(r.tier)).map((r) => this.removeInstance(d, r, clouds, step)),
      );
    }
    // rows of tiers no longer in the plan (none today), for safety
    await settleAll(
      rows.filter((r) => r.state !== 'terminated').map((r) => this.removeInstance(d, r, clouds, step)),
    );
    await this.removeCloudNetworks(d, clouds, step);
    await this.removeFabric(d, plan);
    await this.store.event(d.id, 'step.done', 'instances, addresses and fabric objects removed', { step });
  }

  async removeInstance(
    d: DeploymentEntity,
    row: DeploymentInstanceEntity,
    clouds: Map<string, CloudAccess>,
    step: DeploymentStep,
  ): Promise<void> {
    if (row.state === 'terminated') return;
    if (row.state === 'planned') {
      // nothing was sent to a cloud: only its address to give back, and no instance to report
      await this.fabric.releaseEndpoint({ tenantId: d.tenantId, key: row.idempotencyKey });
      await this.store.removeInstance(row.id);
      row.state = 'terminated';
      return;
    }
    const access = clouds.get(row.environment);
    const where = { tier: row.tier, environment: row.environment, provider: row.provider };
    let removed: string[] = [];
    if (access) {
      try {
        // no id: the create may have reached the cloud with its answer lost; its tags find it
        removed = row.cloudId
          ? [row.cloudId]
          : (await access.adapter.describeInstances(switchyardTags(d.id, row.tier, row.index))).map(
              (i) => i.id,
            );
        for (const id of removed) {
          await access.adapter.terminateInstance(id);
          await access.adapter.waitForState(id, 'terminated', { timeoutMs: TERMINATED_DEADLINE_MS });
        }
      } catch (err) {
        throw StepFailure.fromCloud(step, err, where);
      }
    }
    await this.fabric.releaseEndpoint({ tenantId: d.tenantId, key: row.idempotencyKey });
    // the instance is gone: its policy pull's token speaks for nothing any more
    await this.guestTokens.revokeInstance(row.id);
    await this.store.setInstance(row.id, { state: 'terminated' });
    row.state = 'terminated';
    await this.store.event(d.id, 'instance.terminated', `${row.tier}[${row.index}] removed`, {
      ...where,
      index: row.index,
      cloudId: row.cloudId ?? removed[0] ?? null,
      address: row.address,
    });
  }

  /**
   * What the network step made on each cloud, once no instance uses it (left there, it would pile
   * up against the account's quotas). The network first: with it go the ports that creates the
   * cloud refused left behind (OpenStack), which still hold the tiers' security groups.
   */
  private async removeCloudNetworks(
    d: DeploymentEntity,
    clouds: Map<string, CloudAccess>,
    step: DeploymentStep,
  ): Promise<void> {
    const networks = { ...d.networks };
    for (const [environment, network] of Object.entries(networks)) {
      const access = clouds.get(environment);
      if (!access || network.released) continue;
      try {
        if (network.cloudNetworkId) await access.adapter.deleteNetwork(network.cloudNetworkId);
        for (const group of Object.values(network.securityGroups)) {
          await access.adapter.deleteSecurityPolicy(group);
        }
      } catch (err) {
        throw StepFailure.fromCloud(step, err, { environment, provider: access.provider });
      }
      // its block of the address pool is free again for the account's next deployments
      networks[environment] = { ...network, released: true };
      await this.store.update(d.id, { networks });
    }
    d.networks = networks;
  }

  private async removeFabric(d: DeploymentEntity, plan: DeploymentPlan): Promise<void> {
    const prefix = fabricPrefix(d.id);
    await this.fabric.removeObjects({
      tenantId: d.tenantId,
      policies: plan.fabric.policies.map((p) => `${prefix}-${p.tier}`),
      groups: plan.fabric.endpointGroups.map((g) => `${prefix}-${g.tier}`),
      networks: Object.values(d.networks).map((n) => n.fabricNetwork),
    });
  }
}
