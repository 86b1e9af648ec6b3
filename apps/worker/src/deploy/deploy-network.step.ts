import { Inject, Injectable } from '@nestjs/common';
import type { DeploymentPlan } from '@switchyard/blueprints';
import type { SecurityRule } from '@switchyard/cloud-adapters';
import type { DeploymentEntity, DeploymentNetwork } from '@switchyard/core';
import { FabricService, type RuleConfig } from '@switchyard/network-fabric';
import type { CloudAccess } from './cloud-access.service.js';
import { DeploymentStore, fabricPrefix } from './deployment-store.service.js';
import { DEFAULT_ADDRESS_POOL, nextSubnet } from './subnet-pool.util.js';
import { StepFailure } from './step-failure.js';

/**
 * The deployment's own fabric objects (a network per environment, a group and a whitelist
 * policy per tier), then the same on each cloud: a subnet and a security group per tier.
 * Every object is found before it is made, so the step can run again after a crash.
 */
@Injectable()
export class DeployNetworkStep {
  constructor(
    @Inject(DeploymentStore) private readonly store: DeploymentStore,
    @Inject(FabricService) private readonly fabric: FabricService,
  ) {}

  async run(d: DeploymentEntity, tenant: string, clouds: Map<string, CloudAccess>): Promise<void> {
    const plan = d.plan as unknown as DeploymentPlan;
    const prefix = fabricPrefix(d.id);
    const networks = { ...d.networks };
    for (const { environment } of plan.fabric.networks) {
      const access = clouds.get(environment)!;
      networks[environment] ??= await this.fabricNetwork(d, tenant, environment, access, prefix);
      const net = networks[environment];
      if (!net.cloudNetworkId) {
        const made = await this.cloudCall(environment, access, undefined, () =>
          access.adapter.ensureNetwork({ name: net.fabricNetwork, cidr: net.subnet }),
        );
        net.cloudNetworkId = made.id;
      }
      await this.store.update(d.id, { networks });
    }
    // groups first (rules name them), then each policy with its rules, then attach the policies
    const groupOf = (tier: string) => ({
      tenantName: tenant,
      groupName: `${prefix}-${tier}`,
      networkName: networks[plan.tiers.find((t) => t.tier === tier)!.environment]!.fabricNetwork,
    });
    for (const { tier } of plan.fabric.endpointGroups) {
      const exists = await this.fabric
        .get('endpointGroup', tenant, `${prefix}-${tier}`)
        .catch(() => undefined);
      if (!exists) await this.fabric.apply('endpointGroup', tenant, { ...groupOf(tier), policies: [] });
    }
    for (const { tier, rules } of plan.fabric.policies) {
      const tierPlan = plan.tiers.find((t) => t.tier === tier)!;
      const net = networks[tierPlan.environment]!;
      const policy = `${prefix}-${tier}`;
      await this.fabric.apply('policy', tenant, { tenantName: tenant, policyName: policy });
      for (const rule of rules) {
        const body: Partial<RuleConfig> = {
          tenantName: tenant,
          policyName: policy,
          ruleId: rule.ruleId,
          direction: 'in',
          priority: rule.priority,
          action: rule.action,
          protocol: rule.protocol,
          port: rule.port,
          ...(rule.fromEndpointGroup ? { fromEndpointGroup: `${prefix}-${rule.fromEndpointGroup}` } : {}),
          ...(rule.fromIpAddress ? { fromIpAddress: rule.fromIpAddress } : {}),
        };
        await this.fabric.apply('rule', tenant, body);
      }
      await this.fabric.apply('endpointGroup', tenant, { ...groupOf(tier), policies: [policy] });
      if (!net.securityGroups[tier]) {
        const access = clouds.get(tierPlan.environment)!;
        const result = await this.cloudCall(tierPlan.environment, access, tier, () =>
          access.adapter.applySecurityPolicy({
            name: policy,
            network: net.cloudNetworkId,
            rules: securityRules(rules, (t) => networkOfTier(plan, networks, t)),
          }),
        );
        net.securityGroups[tier] = result.id;
        for (const u of result.unsupported)
          net.unsupportedRules.push({ tier, rule: u.rule, reason: u.reason });
        if (result.unsupported.length) {
          await this.store.event(
            d.id,
            'policy.unsupported',
            `${tier}: ${result.unsupported.length} rule(s) the cloud cannot express`,
            { tier, environment: tierPlan.environment, rules: result.unsupported },
          );
        }
        await this.store.update(d.id, { networks });
      }
    }
    await this.store.event(d.id, 'step.done', 'networks, groups and policies are ready', {
      step: 'network',
      networks: Object.fromEntries(Object.entries(networks).map(([env, n]) => [env, n.subnet])),
    });
  }

  /**
   * The deployment's network in one environment: a /24 of the environment's address pool that
   * neither the tenant's networks nor any other deployment on the same cloud account uses (a
   * cloud's address space is per account, not per tenant; a subnet stays taken until a teardown
   * removed it from the cloud and marked it released, as a removal that failed may have left it). Chosen under a lock per
   * account, so that deployments starting together never pick the same block.
   */
  private async fabricNetwork(
    d: DeploymentEntity,
    tenant: string,
    environment: string,
    access: CloudAccess,
    prefix: string,
  ): Promise<DeploymentNetwork> {
    const name = `${prefix}-${environment}`.slice(0, 64);
    const pool = access.environment.placement.addressPool ?? DEFAULT_ADDRESS_POOL;
    return this.store.db.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `deployment-subnets:${access.environment.accountId}`,
      ]);
      const tenantNetworks = await this.fabric.list('network', tenant, em);
      const mine = tenantNetworks.find((n) => n.networkName === name);
      if (mine) return emptyNetwork(name, mine.subnet.replace(/\.\d+-[\d.]+\//, '.0/'), mine.gateway ?? '');
      const onAccount: { subnet: string }[] = await em.query(
        `SELECT n.value->>'subnet' AS subnet
           FROM deployments dep CROSS JOIN LATERAL jsonb_each(dep.networks) AS n
          WHERE n.key IN (SELECT e.name FROM environments e WHERE e.account_id = $1) AND dep.id <> $2
            AND (n.value->>'released') IS DISTINCT FROM 'true'`,
        [access.environment.accountId, d.id],
      );
      const taken = [...tenantNetworks.map((n) => n.subnet), ...onAccount.map((r) => r.subnet)];
      const subnet = nextSubnet(pool, taken);
      if (!subnet) {
        throw new StepFailure('network', `address pool ${pool} of ${environment} is full`, { environment });
      }
      await this.fabric.apply(
        'network',
        tenant,
        {
          tenantName: tenant,
          networkName: name,
          encap: 'vxlan',
          subnet: subnet.fabricSubnet,
          gateway: subnet.gateway,
        },
        em,
      );
      const network = emptyNetwork(name, subnet.cidr, subnet.gateway);
      // recorded before the lock is released, so the next deployment on this account sees it taken
      await em.query(
        `UPDATE deployments SET networks = networks || jsonb_build_object($2::text, $3::jsonb) WHERE id = $1`,
        [d.id, environment, JSON.stringify(network)],
      );
      return network;
    });
  }

  private async cloudCall<T>(
    environment: string,
    access: CloudAccess,
    tier: string | undefined,
    fn: () => Promise<T>,
  ) {
    try {
      return await fn();
    } catch (err) {
      throw StepFailure.fromCloud('network', err, { environment, provider: access.provider, tier });
    }
  }
}

function emptyNetwork(fabricNetwork: string, subnet: string, gateway: string): DeploymentNetwork {
  return { fabricNetwork, subnet, gateway, cloudNetworkId: '', securityGroups: {}, unsupportedRules: [] };
}

function networkOfTier(
  plan: DeploymentPlan,
  networks: Record<string, DeploymentNetwork>,
  tier: string,
): string {
  const env = plan.tiers.find((t) => t.tier === tier)?.environment ?? '';
  return networks[env]?.subnet ?? '0.0.0.0/0';
}

/** The fabric whitelist as cloud security rules: a group source becomes its network's block. */
export function securityRules(
  rules: DeploymentPlan['fabric']['policies'][number]['rules'],
  blockOfTier: (tier: string) => string,
): SecurityRule[] {
  return rules.map((r) => ({
    direction: 'ingress',
    action: r.action,
    protocol: r.protocol === '' ? 'any' : r.protocol,
    ...(r.port ? { fromPort: r.port, toPort: r.port } : {}),
    ...(r.fromEndpointGroup ? { cidr: blockOfTier(r.fromEndpointGroup) } : {}),
    ...(r.fromIpAddress ? { cidr: r.fromIpAddress } : {}),
    // the fabric's higher priority wins; clouds with an order use lower-wins numbers
    priority: 101 - r.priority,
  }));
}
