import type { DeploymentPlan } from '@switchyard/blueprints';
import {
  allowedActions,
  type DeploymentEntity,
  type DeploymentEventEntity,
  type DeploymentInstanceEntity,
} from '@switchyard/core/deployments';
import { deploymentCost, tierCost, type DeploymentUsage, type Span } from '../costs/deployment-cost.util.js';

/** `usage`: the deployment's instances and stopped spans, which its cost follows. */
export function toDeploymentSummary(d: DeploymentEntity, usage: DeploymentUsage) {
  const plan = d.plan as unknown as DeploymentPlan;
  return {
    id: d.id,
    name: d.name,
    state: d.state,
    blueprint: { name: d.blueprintName, version: d.blueprintVersion },
    environments: [...new Set(plan.tiers.map((t) => t.environment))],
    cost: deploymentCost(plan, usage, new Date()),
    failure: d.failure,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}

export function toDeploymentDetail(
  d: DeploymentEntity,
  instances: DeploymentInstanceEntity[],
  stopped: readonly Span[],
) {
  const plan = d.plan as unknown as DeploymentPlan;
  return {
    ...toDeploymentSummary(d, { instances, stopped }),
    step: d.step,
    allowedActions: allowedActions(d.state),
    parameters: d.parameters,
    placement: d.placement,
    rollbackOnFailure: d.rollbackOnFailure,
    leaseHours: d.leaseHours,
    // the reconciler terminates the deployment at this time
    leaseExpiresAt: d.leaseHours
      ? new Date(d.createdAt.getTime() + d.leaseHours * 3_600_000).toISOString()
      : null,
    stages: plan.stages,
    tiers: plan.tiers.map((t) => ({
      tier: t.tier,
      environment: t.environment,
      provider: t.provider,
      count: t.count,
      instanceType: t.instanceType.name,
      image: t.image.imageId,
      cost: tierCost(plan, t.tier, instances),
      instances: instances
        .filter((i) => i.tier === t.tier && i.state !== 'terminated')
        .map((i) => ({
          index: i.index,
          environment: i.environment,
          provider: i.provider,
          resourceId: i.cloudId,
          address: i.address,
          state: i.state,
        })),
      enforcement: enforcementOf(d, t.tier, t.environment),
    })),
    networks: Object.fromEntries(
      Object.entries(d.networks).map(([env, n]) => [
        env,
        { fabricNetwork: n.fabricNetwork, subnet: n.subnet },
      ]),
    ),
    outputs: d.outputs,
    runningAt: d.runningAt?.toISOString() ?? null,
    endedAt: d.endedAt?.toISOString() ?? null,
  };
}

/** The tier's enforcement record, without its own tier and environment (the tier says them). */
function enforcementOf(d: DeploymentEntity, tier: string, environment: string) {
  const record = d.networks[environment]?.enforcement?.[tier];
  if (!record) return null;
  return {
    cloud: record.cloud,
    securityGroup: record.securityGroup,
    rules: record.rules.map((r) => ({
      ruleId: r.ruleId,
      text: r.text,
      mechanisms: r.mechanisms,
      ...(r.securityGroupGap ? { securityGroupGap: r.securityGroupGap } : {}),
    })),
  };
}

export function toEvent(e: DeploymentEventEntity) {
  return { id: e.id, type: e.type, message: e.message, data: e.data, createdAt: e.createdAt.toISOString() };
}
