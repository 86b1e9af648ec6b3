import { parseDecimal, type Money } from '@switchyard/blueprints';
import { matchesAny } from '../entitlements/name-pattern.util.js';

/** An approval rule as the order path reads it. */
export interface ApprovalRule {
  id: string;
  name: string;
  /** Orders whose monthly estimate is above this; null: any cost. */
  monthlyCostAbove: Money | null;
  /** Orders placing a tier on one of these (names or * patterns); null: anywhere. */
  environments: string[] | null;
  /** Orders of one of these blueprints (names or * patterns); null: any blueprint. */
  blueprints: string[] | null;
  expiresAfterMinutes: number;
}

/** What an order is judged on. */
export interface OrderFacts {
  blueprint: string;
  environments: readonly string[];
  monthly: Money;
}

export interface HoldReason {
  rule: string;
  message: string;
}

/**
 * The reasons an order must wait for approval: one per rule whose every condition holds (a rule
 * with no condition holds every order). None: the order goes ahead.
 */
export function approvalReasons(rules: readonly ApprovalRule[], order: OrderFacts): HoldReason[] {
  const reasons: HoldReason[] = [];
  for (const rule of rules) {
    const parts: string[] = [];
    if (rule.monthlyCostAbove) {
      const above = costAbove(order.monthly, rule.monthlyCostAbove);
      if (!above) continue;
      parts.push(above);
    }
    if (rule.environments) {
      const hit = order.environments.filter((e) => matchesAny(e, rule.environments!));
      if (hit.length === 0) continue;
      parts.push(`places on ${hit.join(', ')}`);
    }
    if (rule.blueprints) {
      if (!matchesAny(order.blueprint, rule.blueprints)) continue;
      parts.push(`orders ${order.blueprint}`);
    }
    reasons.push({ rule: rule.name, message: parts.length ? parts.join('; ') : 'every order' });
  }
  return reasons;
}

function costAbove(cost: Money, limit: Money): string | undefined {
  if (cost.currency !== limit.currency) {
    // no exchange rates here: a cost that cannot be compared waits rather than slipping through
    return `monthly cost ${cost.amount} ${cost.currency} cannot be compared with the limit in ${limit.currency}`;
  }
  const a = parseDecimal(cost.amount);
  const b = parseDecimal(limit.amount);
  if (a === undefined || b === undefined || a <= b) return undefined;
  return `monthly cost ${cost.amount} ${cost.currency} is above ${limit.amount} ${limit.currency}`;
}
