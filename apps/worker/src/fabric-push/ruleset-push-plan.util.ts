import { rulesetETag } from '@switchyard/network-fabric';
import type { PushTarget } from './ruleset-push.repository.js';

/** One ruleset to load on one instance. */
export interface RulesetLoad {
  target: PushTarget;
  ruleset: string;
  etag: string;
}

/**
 * The loads a push needs: each target whose ruleset (by its address) differs from the one it was
 * last given. A target with no ruleset (its address left the policy state) gets none.
 */
export function rulesetPushPlan(targets: PushTarget[], rulesets: Map<string, string>): RulesetLoad[] {
  const loads: RulesetLoad[] = [];
  for (const target of targets) {
    const ruleset = rulesets.get(target.address);
    if (ruleset === undefined) continue;
    const etag = rulesetETag(ruleset);
    if (etag !== target.rulesetEtag) loads.push({ target, ruleset, etag });
  }
  return loads;
}
