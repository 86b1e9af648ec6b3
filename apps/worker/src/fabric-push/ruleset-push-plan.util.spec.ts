import { rulesetETag } from '@switchyard/network-fabric';
import { rulesetPushPlan } from './ruleset-push-plan.util.js';
import type { PushTarget } from './ruleset-push.repository.js';

const target = (tier: string, address: string, rulesetEtag: string | null): PushTarget => ({
  id: `${tier}-id`,
  deploymentId: 'd1',
  tier,
  index: 0,
  environment: 'linux-local',
  cloudId: `i-${tier}`,
  address,
  rulesetEtag,
});

describe('rulesetPushPlan', () => {
  const rulesets = new Map([
    ['10.1.0.2', 'table inet switchyard_t { # web\n}\n'],
    ['10.1.0.3', 'table inet switchyard_t { # app\n}\n'],
  ]);

  it('loads only the instances whose ruleset differs from the one they were last given', () => {
    const plan = rulesetPushPlan(
      [
        target('web', '10.1.0.2', rulesetETag(rulesets.get('10.1.0.2')!)),
        target('app', '10.1.0.3', rulesetETag('an older ruleset')),
      ],
      rulesets,
    );
    expect(plan.map((l) => [l.target.tier, l.ruleset, l.etag])).toEqual([
      ['app', rulesets.get('10.1.0.3'), rulesetETag(rulesets.get('10.1.0.3')!)],
    ]);
  });

  it('loads an instance that never recorded a ruleset, and skips one without a ruleset', () => {
    const plan = rulesetPushPlan([target('web', '10.1.0.2', null), target('db', '10.1.0.9', null)], rulesets);
    expect(plan.map((l) => l.target.tier)).toEqual(['web']);
  });
});
