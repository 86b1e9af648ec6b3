import type { DeploymentEntity } from './deployment.entities.js';

// scale without a declared range: at least one instance, at most what an order may ask
const DEFAULT_SCALE = { min: 1, max: 1000 };

/** The part of a deployment's blueprint a scale request is checked against. */
interface ScalableTiers {
  tiers: Record<string, { scale?: { min: number; max: number } }>;
}

export interface ScaleRequest {
  tier: string;
  count: number;
}

export interface ScaleProblem {
  path: string;
  message: string;
}

/** A scale request checked against the tiers and ranges of the deployment's blueprint. */
export function checkScaleRequest(
  d: Pick<DeploymentEntity, 'blueprint'>,
  tier: string | undefined,
  count: number | undefined,
): { scale: ScaleRequest } | { problems: ScaleProblem[] } {
  const { tiers } = d.blueprint as unknown as ScalableTiers;
  const problems: ScaleProblem[] = [];
  if (!tier) problems.push({ path: 'tier', message: 'is required to scale' });
  else if (!tiers[tier])
    problems.push({ path: 'tier', message: `is not a tier (${Object.keys(tiers).join(', ')})` });
  if (count === undefined) problems.push({ path: 'count', message: 'is required to scale' });
  if (problems.length || !tier || count === undefined) return { problems };
  const { min, max } = tiers[tier]?.scale ?? DEFAULT_SCALE;
  if (count < min || count > max) {
    return { problems: [{ path: 'count', message: `must be within the tier's scale ${min}..${max}` }] };
  }
  return { scale: { tier, count } };
}
