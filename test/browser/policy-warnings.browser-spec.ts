import { Client } from '../support/http.js';
import { describeBrowser, shot, until } from './support/browser.js';
import { useWebStack } from './support/web-stack.js';

// Issue 15: the deployment page names each policy rule a cloud leaves unenforced, where, and what
// will enforce it; a deny the security group's own default deny gives (AWS) is no warning.
describeBrowser('policy warnings on the deployment page in chromium', () => {
  const s = useWebStack();

  it('names the deny-all vSphere leaves open for db, and nothing for the tiers on AWS', async () => {
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
    const section = page.getByRole('region', { name: 'Policy rules the cloud does not enforce' });
    await until('the policy warnings', async () => (await section.locator('li').count()) > 0, 150_000);

    const warned = await section.locator('li').evaluateAll((items) =>
      items.map((li) => ({
        tier: li.getAttribute('data-tier'),
        chips: [...li.querySelectorAll('[data-rule]')].map((c) => c.textContent),
        text: li.textContent,
      })),
    );
    expect(warned).toEqual([
      {
        tier: 'db',
        chips: ['deny-all: deny in any protocol from anywhere'],
        text: expect.stringContaining(`db on ${s.vsEnv} (vsphere)`),
      },
    ]);
    expect(warned[0]!.text).toContain('Not enforced yet: the host firewall (nftables)');
    await shot(page, 'deployment-policy-warnings');
    await context.close();
  }, 240_000);
});
