import { UsageError } from '../../core/flags.js';

export interface CandidateArg {
  placement: { default: string; tiers: Record<string, string> };
  instanceTypes: Record<string, string>;
}

/**
 * `--candidate ENV[,TIER=ENV...][,TIER:TYPE...]`: the environment of every tier, then per-tier
 * environments (a mixed placement) and per-tier instance types.
 *   aws-us-east-1                     every tier on AWS
 *   aws-us-east-1,db=vsphere-dc1      web and app on AWS, db on vSphere
 *   linux-local,web:lh.quarter        web on a quarter CPU
 */
export function parseCandidate(text: string): CandidateArg {
  const [env, ...rest] = text.split(',').map((s) => s.trim());
  if (!env || /[=:]/.test(env)) throw new UsageError(`--candidate starts with an environment, got "${text}"`);
  const out: CandidateArg = { placement: { default: env, tiers: {} }, instanceTypes: {} };
  for (const item of rest) {
    const m = /^([^=:]+)([=:])(.+)$/.exec(item);
    if (!m)
      throw new UsageError(`--candidate takes TIER=ENV or TIER:TYPE after the environment, got "${item}"`);
    const [, tier, sign, value] = m as unknown as [string, string, string, string];
    if (sign === '=') out.placement.tiers[tier] = value;
    else out.instanceTypes[tier] = value;
  }
  return out;
}
