import { Client } from '../support/http.js';
import { describeBrowser, shot, until } from './support/browser.js';
import { useWebStack } from './support/web-stack.js';

// Issue 15, then issue 17: the deployment page says, per tier, what enforces each policy rule. With
// nftables in every VM each rule is enforced: on AWS by the security group and nftables in the
// guest, on vSphere (whose port group filters nothing) in the guest only, saying why.
describeBrowser('policy enforcement on the deployment page in chromium', () => {
  const s = useWebStack();

  it('shows db on vSphere enforced in the guest only, and the tiers on AWS by security group and nftables', async () => {
    const member = new Client(s.api.url, s.memberToken);
    const ordered = await member.post('/api/v1/orders', {
      blueprint: 'three-tier-shop@^1.2',
      name: `policy-${s.run}`,
      parameters: { appCount: 1, dbPassword: 'hunter2-secret' },
      placement: { default: s.awsEnv, tiers: { db: s.vsEnv } },
    });
    expect(ordered.status).toBe(202);

    const { context, page } = await s.open(s.memberToken);
    await page.goto(`${s.api.url}/deployments/${ordered.body.id}`);
    const section = page.getByRole('region', { name: 'Policy enforcement' });
    await until('the policy enforcement', async () => (await section.locator('li').count()) === 3, 150_000);

    const tiers = await section.locator('li').evaluateAll((items) =>
      items.map((li) => ({
        tier: li.getAttribute('data-tier'),
        chips: [...li.querySelectorAll('[data-rule]')].map((c): [string | null, string | null] => [
          c.textContent,
          c.getAttribute('data-enforced-by'),
        ]),
        text: li.textContent,
      })),
    );
    const byTier = Object.fromEntries(tiers.map((t) => [t.tier, t]));
    expect(Object.keys(byTier).sort()).toEqual(['app', 'db', 'web']);
    expect(byTier.db!.text).toContain(`db on ${s.vsEnv} (vsphere)`);
    expect(byTier.db!.chips).toEqual(
      expect.arrayContaining([['deny-all: deny in any protocol from anywhere', 'nftables']]),
    );
    expect(byTier.db!.chips.every((c: unknown[]) => c[1] === 'nftables')).toBe(true);
    expect(byTier.db!.text).toContain('deny-all: nftables in the guest only');
    expect(byTier.db!.text).toContain('A vSphere port group filters no traffic');
    for (const tier of ['web', 'app']) {
      expect(byTier[tier]!.text).toContain(`${tier} on ${s.awsEnv} (aws-ec2)`);
      expect(byTier[tier]!.chips.length).toBeGreaterThan(0);
      expect(byTier[tier]!.chips.every((c: unknown[]) => c[1] === 'security-group nftables')).toBe(true);
    }
    await shot(page, 'deployment-policy-enforcement');
    await context.close();
  }, 240_000);
});
