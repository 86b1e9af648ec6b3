import type { DeploymentPlan } from '@switchyard/blueprints';
import {
  allowedActions,
  type DeploymentEntity,
  type DeploymentEventEntity,
  type DeploymentInstanceEntity,
} from '@switchyard/core';

const MICROS = 1_000_000n;

/** Hourly price × hours run, exact to the cent. */
function costSoFar(plan: DeploymentPlan, d: DeploymentEntity, now: Date) {
  const currency = plan.currency;
  if (!d.runningAt) return { amount: '0.00', currency };
  const end = d.endedAt ?? now;
  const ms = BigInt(Math.max(0, end.getTime() - d.runningAt.getTime()));
  const [whole = '0', frac = ''] = plan.total.hourly.amount.split('.');
  const hourlyMicros = BigInt(whole) * MICROS + BigInt((frac + '000000').slice(0, 6));
  const cents = (hourlyMicros * ms) / 3_600_000n / 10_000n;
  return { amount: `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`, currency };
}

export function toDeploymentSummary(d: DeploymentEntity) {
  const plan = d.plan as unknown as DeploymentPlan;
  return {
    id: d.id,
    name: d.name,
    state: d.state,
    blueprint: { name: d.blueprintName, version: d.blueprintVersion },
    environments: [...new Set(plan.tiers.map((t) => t.environment))],
    cost: { hourly: plan.total.hourly, monthly: plan.total.monthly, soFar: costSoFar(plan, d, new Date()) },
    failure: d.failure,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}

export function toDeploymentDetail(d: DeploymentEntity, instances: DeploymentInstanceEntity[]) {
  const plan = d.plan as unknown as DeploymentPlan;
  return {
    ...toDeploymentSummary(d),
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
      cost: t.total,
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
    })),
    networks: Object.fromEntries(
      Object.entries(d.networks).map(([env, n]) => [
        env,
        { fabricNetwork: n.fabricNetwork, subnet: n.subnet, unsupportedRules: n.unsupportedRules },
      ]),
    ),
    outputs: d.outputs,
    runningAt: d.runningAt?.toISOString() ?? null,
    endedAt: d.endedAt?.toISOString() ?? null,
  };
}

export function toEvent(e: DeploymentEventEntity) {
  return { id: e.id, type: e.type, message: e.message, data: e.data, createdAt: e.createdAt.toISOString() };
}
