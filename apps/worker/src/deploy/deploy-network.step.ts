import { Inject, Injectable } from '@nestjs/common';
import type { DeploymentPlan } from '@switchyard/blueprints';
import type { DeploymentEntity, DeploymentNetwork } from '@switchyard/core/deployments';
import {
  DEFAULT_ADDRESS_POOL,
  Fabric,
  FabricError,
  FabricErrorCode,
  type PolicyRule,
} from '@switchyard/network-fabric';
import type { CloudAccess } from './cloud-access.service.js';
import { DeploymentStore, fabricPrefix } from './deployment-store.service.js';
import { deploymentSubnetClaims, emptyNetwork } from './deployment-subnet-claims.js';
import { policyWarning, policyWarningMessage } from './policy-warnings.util.js';
import { StepFailure } from './step-failure.js';

type RulePlan = DeploymentPlan['fabric']['policies'][number]['rules'][number];

/**
 * The deployment's own fabric objects (a network per environment, a group and a whitelist
 * policy per tier), then the same on each cloud: a subnet and a security group per tier, whose
 * rules the fabric compiles from the policy. Every object is found before it is made, so the step
 * can run again after a crash.
 */
@Injectable()
export class DeployNetworkStep {
  constructor(
    @Inject(DeploymentStore) private readonly store: DeploymentStore,
    @Inject(Fabric) private readonly fabric: Fabric,
  ) {}

  async run(d: DeploymentEntity, clouds: Map<string, CloudAccess>): Promise<void> {
    const plan = d.plan as unknown as DeploymentPlan;
    const tenantId = d.tenantId;
    const prefix = fabricPrefix(d.id);
    const networks = { ...d.networks };
    for (const { environment } of plan.fabric.networks) {
      const access = clouds.get(environment)!;
      networks[environment] ??= await this.fabricNetwork(d, environment, access, prefix);
      const net = networks[environment];
      if (!net.cloudNetworkId) {
        // a Linux host builds the fabric network itself (a bridge or VXLAN device with its tag)
        const segment = await this.fabric.networkSegment({ tenantId, network: net.fabricNetwork });
        const made = await this.cloudCall(environment, access, undefined, () =>
          access.adapter.ensureNetwork({
            name: net.fabricNetwork,
            cidr: net.subnet,
            gateway: net.gateway,
            segment,
          }),
        );
        net.cloudNetworkId = made.id;
      }
      await this.store.update(d.id, { networks });
    }
    // groups first (rules name them), then each policy with its rules, then attach the policies
    const environmentOf = (tier: string) => plan.tiers.find((t) => t.tier === tier)!.environment;
    for (const { tier } of plan.fabric.endpointGroups) {
      const network = networks[environmentOf(tier)]!.fabricNetwork;
      await this.fabric.ensureEndpointGroup({ tenantId, group: `${prefix}-${tier}`, network });
    }
    for (const { tier, rules } of plan.fabric.policies) {
      const environment = environmentOf(tier);
      const net = networks[environment]!;
      const policy = `${prefix}-${tier}`;
      await this.fabric.applyPolicy({ tenantId, policy, rules: rules.map((r) => fabricRule(r, prefix)) });
      await this.fabric.attachPolicies({ tenantId, group: `${prefix}-${tier}`, policies: [policy] });
      if (!net.securityGroups[tier]) {
        const compiled = await this.fabric.compileSecurityRules({ tenantId, policy });
        if (compiled.unsupported.length) {
          const why = compiled.unsupported.map((u) => `${u.ruleId}: ${u.reason}`).join('; ');
          throw new StepFailure('network', `policy ${policy} has rules no security group holds: ${why}`, {
            tier,
            environment,
          });
        }
        const access = clouds.get(environment)!;
        const result = await this.cloudCall(environment, access, tier, () =>
          access.adapter.applySecurityPolicy({
            name: policy,
            network: net.cloudNetworkId,
            rules: compiled.rules,
          }),
        );
        net.securityGroups[tier] = result.id;
        const warning = policyWarning({
          tier,
          environment,
          cloud: access.provider,
          planned: rules,
          compiled: compiled.rules,
          unsupported: result.unsupported,
        });
        if (warning) {
          for (const rule of warning.rules) net.unsupportedRules.push({ tier, rule, reason: rule.reason });
          await this.store.event(d.id, 'policy.unsupported', policyWarningMessage(warning), { ...warning });
        }
        await this.store.update(d.id, { networks });
      }
    }
    await this.store.event(d.id, 'step.done', 'networks, groups and policies are ready', {
      step: 'network',
      networks: Object.fromEntries(Object.entries(networks).map(([env, n]) => [env, n.subnet])),
    });
  }

  /** The deployment's network in one environment, cut by the fabric from the environment's pool. */
  private async fabricNetwork(
    d: DeploymentEntity,
    environment: string,
    access: CloudAccess,
    prefix: string,
  ): Promise<DeploymentNetwork> {
    const pool = access.environment.placement.addressPool ?? DEFAULT_ADDRESS_POOL;
    const { accountId } = access.environment;
    try {
      const subnet = await this.fabric.ensureDeploymentNetwork(
        {
          tenantId: d.tenantId,
          network: `${prefix}-${environment}`.slice(0, 64),
          addressPool: pool,
          addressSpace: accountId,
        },
        deploymentSubnetClaims(d.id, environment, accountId),
      );
      return emptyNetwork(subnet);
    } catch (err) {
      if (err instanceof FabricError && err.code === FabricErrorCode.Exhausted && err.details.addressPool) {
        throw new StepFailure('network', `address pool ${pool} of ${environment} is full`, { environment });
      }
      throw err;
    }
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

/** A planned rule in the fabric's terms: sources name the deployment's own groups. */
function fabricRule(rule: RulePlan, prefix: string): PolicyRule {
  return {
    ruleId: rule.ruleId,
    direction: 'in',
    priority: rule.priority,
    action: rule.action,
    protocol: rule.protocol,
    port: rule.port,
    ...(rule.fromEndpointGroup ? { fromEndpointGroup: `${prefix}-${rule.fromEndpointGroup}` } : {}),
    ...(rule.fromIpAddress ? { fromIpAddress: rule.fromIpAddress } : {}),
  };
}
