import { Inject, Injectable } from '@nestjs/common';
import type { DeploymentPlan, ExpandedBlueprint, TierPlan } from '@switchyard/blueprints';
import { switchyardTags } from '@switchyard/cloud-adapters';
import { APP_CONFIG, type AppConfig } from '@switchyard/core/config';
import {
  GuestTokens,
  type DeploymentEntity,
  type DeploymentInstanceEntity,
} from '@switchyard/core/deployments';
import { Fabric, rulesetETag } from '@switchyard/network-fabric';
import type { CloudAccess } from './cloud-access.service.js';
import { RulesetPushRepository } from '../fabric-push/ruleset-push.repository.js';
import { cloudInit, type GuestPolicy } from './cloud-init.util.js';
import { DeploymentStore, fabricPrefix } from './deployment-store.service.js';
import { settleAll } from './settle-all.util.js';
import { StepFailure } from './step-failure.js';

// how long an instance may take to reach running before the step fails
const RUNNING_DEADLINE_MS = 10 * 60_000;

/**
 * First every instance's row (with the idempotency key) and its address from the fabric, so that
 * the ruleset each VM boots with already knows every address of the deployment; then tiers in
 * dependency order (stage by stage), the instances of a tier in parallel: a guest token, the
 * user-data with the instance's ruleset, the create call, the wait for running. Each of these is
 * committed as it happens, so a rerun picks up where it stopped.
 */
@Injectable()
export class DeployProvisionStep {
  constructor(
    @Inject(DeploymentStore) private readonly store: DeploymentStore,
    @Inject(Fabric) private readonly fabric: Fabric,
    @Inject(GuestTokens) private readonly guestTokens: GuestTokens,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(RulesetPushRepository) private readonly rulesetPush: RulesetPushRepository,
  ) {}

  async run(
    d: DeploymentEntity,
    clouds: Map<string, CloudAccess>,
    counts?: Record<string, number>,
  ): Promise<void> {
    const plan = d.plan as unknown as DeploymentPlan;
    const params = this.store.parameters(d);
    for (const tier of plan.tiers) {
      const access = clouds.get(tier.environment)!;
      const count = counts?.[tier.tier] ?? tier.count;
      for (let i = 0; i < count; i++) await this.addressed(d, tier, i, access);
    }
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

  /** The instance's row with its address from the fabric (the one truth about addresses). */
  private async addressed(
    d: DeploymentEntity,
    tier: TierPlan,
    index: number,
    access: CloudAccess,
  ): Promise<DeploymentInstanceEntity> {
    const where = { tier: tier.tier, environment: tier.environment, provider: access.provider };
    const row = await this.store.instance(d, tier.tier, index, tier.environment, access.provider, 'planned');
    if (row.address) return row;
    const network = d.networks[tier.environment];
    if (!network) throw new StepFailure('provision', `no network for ${tier.environment}`, where);
    const endpoint = await this.fabric.allocateEndpoint({
      tenantId: d.tenantId,
      network: network.fabricNetwork,
      group: `${fabricPrefix(d.id)}-${tier.tier}`,
      key: row.idempotencyKey,
    });
    row.address = endpoint.ipv4;
    await this.store.setInstance(row.id, { address: row.address });
    return row;
  }

  /** The instance's ruleset as of now, and a new token for its pull. */
  private async guestPolicy(d: DeploymentEntity, row: DeploymentInstanceEntity): Promise<GuestPolicy> {
    const ruleset = await this.fabric.instanceRuleset({ tenantId: d.tenantId, address: row.address ?? '' });
    return {
      ruleset,
      etag: rulesetETag(ruleset),
      token: await this.guestTokens.issue({ id: row.id, deploymentId: d.id, tier: row.tier }),
      pullUrl: `${this.config.guestApiUrl}/api/v1/guest/ruleset`,
    };
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
    const row = await this.addressed(d, tier, index, access);
    if (row.state === 'running' && row.cloudId) return row;
    const network = d.networks[tier.environment]!;
    try {
      if (!row.cloudId) {
        if (row.state === 'planned') {
          await this.store.startCreating(row.id);
          row.state = 'creating';
        }
        const blueprint = d.blueprint as unknown as ExpandedBlueprint;
        const policy = await this.guestPolicy(d, row);
        const userData = cloudInit(
          blueprint.tiers[tier.tier]!,
          params,
          (t) => addresses.get(t)?.[0] ?? '',
          {
            deployment: d.id,
            tier: tier.tier,
            index,
            address: row.address ?? '',
          },
          policy,
        );
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
        await this.store.setInstance(row.id, {
          cloudId: created.id,
          state: 'pending',
          rulesetEtag: policy.etag,
        });
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
      // the policy may have changed since its ruleset was written: a Linux host's push compares
      if (access.provider === 'linux-host') await this.rulesetPush.due(d.tenantId);
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
