import type { Loose, TierSpec } from '../blueprint.types.js';
import { joinPath } from '../problem.types.js';
import { wholeParameterRef } from './interpolation.util.js';
import { checkReferences, type RuleContext } from './rule-context.util.js';
import { findCycles } from './tier-graph.util.js';

const RESERVED_TIER_NAMES = new Set(['internet']);
const COUNT_LIMITS = { min: 1, max: 1000 };

export function checkTiers(ctx: RuleContext): void {
  const tiers = Object.entries(ctx.doc.tiers ?? {});
  if (ctx.doc.kind === 'Service' && tiers.length !== 1) {
    ctx.problems.push({ path: 'tiers', message: `a Service has exactly one tier (found ${tiers.length})` });
  }
  const graph = new Map<string, string[]>();
  for (const [name, tier] of tiers) {
    const path = joinPath('tiers', name);
    if (RESERVED_TIER_NAMES.has(name)) {
      ctx.problems.push({ path, message: `"${name}" is reserved (a connection end) and cannot name a tier` });
    }
    if (tier === undefined) continue;
    if (ctx.doc.kind === 'Service' && tier.uses !== undefined) {
      ctx.problems.push({ path: joinPath(path, 'uses'), message: 'a Service cannot use another Service' });
    }
    const deps: string[] = [];
    (tier.dependsOn ?? []).forEach((dep, index) => {
      if (dep === undefined) return;
      if (!ctx.tierNames.has(dep)) {
        ctx.problems.push({ path: joinPath(path, `dependsOn.${index}`), message: `"${dep}" names no tier` });
      }
      deps.push(dep);
    });
    graph.set(name, deps);
    checkCount(ctx, path, tier);
    for (const [key, value] of Object.entries(tier.env ?? {})) {
      if (value !== undefined)
        checkReferences(ctx, value, joinPath(path, `env.${key}`), { allowTiers: true });
    }
    const script = tier.init?.script;
    if (script !== undefined)
      checkReferences(ctx, script, joinPath(path, 'init.script'), { allowTiers: true });
  }
  for (const cycle of findCycles(graph)) {
    const [first = ''] = cycle.tiers;
    ctx.problems.push({
      path: joinPath('tiers', `${first}.dependsOn.${cycle.dependsOnIndex}`),
      message: `dependency cycle: ${cycle.tiers.join(' -> ')}`,
    });
  }
}

function checkCount(ctx: RuleContext, path: string, tier: Loose<TierSpec>): void {
  const { scale, count } = tier;
  let limits = COUNT_LIMITS;
  let where = `the allowed ${limits.min}..${limits.max}`;
  if (scale?.min !== undefined && scale.max !== undefined) {
    if (scale.min > scale.max) {
      ctx.problems.push({
        path: joinPath(path, 'scale.min'),
        message: `must not be greater than max (${scale.min} > ${scale.max})`,
      });
      return;
    }
    limits = { min: scale.min, max: scale.max };
    where = `scale ${limits.min}..${limits.max}`;
  }
  const countPath = joinPath(path, 'count');
  if (typeof count === 'number') {
    if (count < limits.min || count > limits.max) {
      ctx.problems.push({ path: countPath, message: `count ${count} is outside ${where}` });
    }
    return;
  }
  if (typeof count !== 'string') return;
  const name = wholeParameterRef(count) ?? '';
  const spec = ctx.params.get(name);
  if (spec === undefined) {
    ctx.problems.push({ path: countPath, message: `${count} names no declared parameter` });
    return;
  }
  if (spec.type !== undefined && spec.type !== 'integer') {
    ctx.problems.push({
      path: countPath,
      message: `parameter ${name} is a ${spec.type}; a count needs an integer`,
    });
    return;
  }
  const outside = (value: number | undefined): boolean =>
    value !== undefined && (value < limits.min || value > limits.max);
  const def = typeof spec.default === 'number' ? spec.default : undefined;
  if (outside(def)) {
    ctx.problems.push({ path: countPath, message: `parameter ${name} default ${def} is outside ${where}` });
  }
  if (spec.minimum !== undefined && spec.minimum < limits.min) {
    ctx.problems.push({
      path: countPath,
      message: `parameter ${name} minimum ${spec.minimum} is below ${where}`,
    });
  }
  if (spec.maximum !== undefined && spec.maximum > limits.max) {
    ctx.problems.push({
      path: countPath,
      message: `parameter ${name} maximum ${spec.maximum} is above ${where}`,
    });
  }
}
