/** Which tiers a rule is about: by name (a `*` matches any run of characters) or by the service they use. */
export interface TierSelector {
  tiers?: string[];
  services?: string[];
}

/** require-tag: the tiers it selects go only to environments with the tag; forbid-tag: never. */
export interface PlacementRule extends TierSelector {
  kind: 'require-tag' | 'forbid-tag';
  tag: string;
  /** Said in explanations, e.g. "data stays on premises". */
  description?: string;
}

/** The tier as rules see it. */
export interface RuledTier {
  name: string;
  uses?: { name: string };
}

function matches(pattern: string, value: string): boolean {
  // linear: split on * and find each part in order
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === value;
  let at = 0;
  for (const [i, part] of parts.entries()) {
    if (i === 0) {
      if (!value.startsWith(part)) return false;
      at = part.length;
    } else if (i === parts.length - 1) {
      return value.length - part.length >= at && value.endsWith(part);
    } else {
      const found = value.indexOf(part, at);
      if (found < 0) return false;
      at = found + part.length;
    }
  }
  return true;
}

/** Whether a rule is about this tier (a rule selecting nothing is about every tier). */
export function ruleSelects(rule: TierSelector, tier: RuledTier): boolean {
  if (!rule.tiers?.length && !rule.services?.length) return true;
  if (rule.tiers?.some((p) => matches(p, tier.name))) return true;
  return !!tier.uses && !!rule.services?.some((p) => matches(p, tier.uses!.name));
}

/** Why the rules refuse this tier on an environment with these tags; empty: allowed. */
export function ruleRefusals(
  rules: readonly PlacementRule[],
  tier: RuledTier,
  tags: readonly string[],
): string[] {
  const refusals: string[] = [];
  rules.forEach((rule, i) => {
    if (!ruleSelects(rule, tier)) return;
    const has = tags.includes(rule.tag);
    const why = rule.description ? ` (${rule.description})` : '';
    if (rule.kind === 'require-tag' && !has)
      refusals.push(`rule ${i + 1}${why}: ${tier.name} goes only to environments tagged ${rule.tag}`);
    if (rule.kind === 'forbid-tag' && has)
      refusals.push(`rule ${i + 1}${why}: ${tier.name} never goes to environments tagged ${rule.tag}`);
  });
  return refusals;
}
