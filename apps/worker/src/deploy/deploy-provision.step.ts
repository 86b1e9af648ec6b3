import { Inject, Injectable } from '@nestjs/common';
import type { DeploymentPlan, ExpandedBlueprint, TierPlan } from '@switchyard/blueprints';
import { switchyardTags } from '@switchyard/cloud-adapters';
import type { DeploymentEntity, DeploymentInstanceEntity } from '@switchyard/core/deployments';
import { Fabric } from '@switchyard/network-fabric';
import type { CloudAccess } from './cloud-access.service.js';
import { cloudInit } from './cloud-init.util.js';
import { DeploymentStore, fabricPrefix } from './deployment-store.service.js';
import { settleAll } from './settle-all.util.js';
import { StepFailure } from './step-failure.js';

// how long an instance may take to reach running before the step fails
const RUNNING_DEADLINE_MS = 10 * 60_000;

/**
 * Tiers in dependency order (stage by stage), the instances of a tier in parallel. Each instance:
 * its row (with the idempotency key), its address from the fabric, the create call, the wait for
 * running. Each of these is committed as it happens, so a rerun picks up where it stopped.
 */
@Injectable()
export class DeployProvisionStep {
  constructor(
    @Inject(DeploymentStore) private readonly store: DeploymentStore,
    @Inject(Fabric) private readonly fabric: Fabric,
  ) {}

  async run(
    d: DeploymentEntity,
    clouds: Map<string, CloudAccess>,
    counts?: Record<string, number>,
  ): Promise<void> {
    const plan = d.plan as unknown as DeploymentPlan;
    const params = this.store.parameters(d);
    const addresses = await this.addressBook(d.id);
    for (const stage of plan.stages) {
      // every create of the stage settles before a failure ends the step (see settleAll)
      await settleAll(
        stage.map(async (tierName) => {
          const tier = plan.tiers.find((t) => t.tier === tierName)!;
          const count = counts?.[tierName] ?? tier.count;
          const made = await settleAll(
            Array.from({ length: count }, (_, i) =>
              this.instance(d, tier, i, clouds.get(tier.environment)!, params, addresses),
            ),
          );
          addresses.set(
            tierName,
            made.map((m) => m.address ?? ''),
          );
        }),
      );
      await this.store.event(d.id, 'stage.done', `stage ${stage.join(', ')} is running`, { tiers: stage });
    }
  }

  private async addressBook(deploymentId: string): Promise<Map<string, string[]>> {
    const book = new Map<string, string[]>();
    for (const row of await this.store.instances(deploymentId)) {
      if (row.address) book.set(row.tier, [...(book.get(row.tier) ?? []), row.address]);
    }
    return book;
  }

  private async instance(
    d: DeploymentEntity,
    tier: TierPlan,
    index: number,
    access: CloudAccess,
    params: Record<string, unknown>,
    addresses: Map<string, string[]>,
  ): Promise<DeploymentInstanceEntity> {
    const where = { tier: tier.tier, environment: tier.environment, provider: access.provider };
    const row = await this.store.instance(d, tier.tier, index, tier.environment, access.provider);
    if (row.state === 'running' && row.cloudId) return row;
    const prefix = fabricPrefix(d.id);
    const network = d.networks[tier.environment];
    if (!network) throw new StepFailure('provision', `no network for ${tier.environment}`, where);
    if (!row.address) {
      // the fabric is the one truth about addresses; the cloud is told which to use
      const endpoint = await this.fabric.allocateEndpoint({
        tenantId: d.tenantId,
        network: network.fabricNetwork,
        group: `${prefix}-${tier.tier}`,
        key: row.idempotencyKey,
      });
      row.address = endpoint.ipv4;
      await this.store.setInstance(row.id, { address: row.address });
    }
    try {
      if (!row.cloudId) {
        const blueprint = d.blueprint as unknown as ExpandedBlueprint;
        const userData = cloudInit(blueprint.tiers[tier.tier]!, params, (t) => addresses.get(t)?.[0] ?? '', {
          deployment: d.id,
          tier: tier.tier,
          index,
          address: row.address ?? '',
        });
        const created = await access.adapter.createInstance({
          idempotencyKey: row.idempotencyKey,
          name: row.idempotencyKey,
          instanceType: tier.instanceType.name,
          image: tier.image.imageId,
          network: network.cloudNetworkId,
          privateIp: row.address ?? undefined,
          userData,
          securityGroups: network.securityGroups[tier.tier] ? [network.securityGroups[tier.tier]!] : [],
          tags: switchyardTags(d.id, tier.tier, index),
        });
        row.cloudId = created.id;
        await this.store.setInstance(row.id, { cloudId: created.id, state: 'pending' });
        await this.store.event(
          d.id,
          'instance.created',
          `${tier.tier}[${index}] created on ${tier.environment}`,
          {
            ...where,
            index,
            cloudId: created.id,
            address: row.address,
          },
        );
      }
      await access.adapter.waitForState(row.cloudId, 'running', { timeoutMs: RUNNING_DEADLINE_MS });
      await this.store.setInstance(row.id, { state: 'running' });
      row.state = 'running';
      await this.store.event(
        d.id,
        'instance.running',
        `${tier.tier}[${index}] is running at ${row.address}`,
        {
          ...where,
          index,
          cloudId: row.cloudId,
          address: row.address,
        },
      );
      return row;
    } catch (err) {
      throw StepFailure.fromCloud('provision', err, where);
    }
  }
}
