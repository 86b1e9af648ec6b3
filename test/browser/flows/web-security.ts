import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext } from 'playwright-core';
import { Client } from '../../support/http.js';
import { shot, until } from '../support/browser.js';
import type { WebStack } from '../support/web-stack.js';

// page.evaluate runs in the page; this project's Node tsconfig has no DOM library
declare const document: { cookie: string; body: { innerText: string } };
declare const localStorage: Record<string, string>;
declare const sessionStorage: Record<string, string>;

/** The session token the browser holds: visible to the test through the browser, not to the page. */
async function sessionCookie(context: BrowserContext) {
  return (await context.cookies()).find((c) => c.name === 'syd_session');
}

/** A page of another origin (another port of this host) that frames the app and posts a form to it. */
async function hostileSite(appUrl: string): Promise<{ url: string; server: Server }> {
  const html = (path: string) => `<!doctype html><html><body>
<h1>another site</h1>
<iframe id="framed" title="framed" src="${appUrl}${path}" width="800" height="400"></iframe>
<form id="forged" method="POST" action="${appUrl}/api/v1/tokens">
  <input name="name" value="forged-by-another-site"><button type="submit">Win a prize</button>
</form>
</body></html>`;
  const server = createServer((req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(html(req.url === '/docs' ? '/api/docs' : '/catalog'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/**
 * The browser side of issue #11: the session lives where no script of the page can read it, the
 * app and its docs refuse to be framed, and another site's forged POST is refused.
 */
export function webSecurityTests(s: WebStack): void {
  it('after a password sign-in, a script in the page finds no session token in cookies or storage', async () => {
    const name = `xss-${s.run}`;
    const password = `xss-password-${s.run}-Qx7`;
    expect((await s.admin.post('/api/v1/users', { name, role: 'member', password })).status).toBe(201);
    const { context, page } = await s.open();
    await page.goto(`${s.api.url}/`);
    await page.getByRole('button', { name: 'User account' }).click();
    await page.getByLabel('User name').fill(name);
    await page.getByLabel('Password').fill(password);
    await page.keyboard.press('Enter');
    await page.locator('.bp-card').first().waitFor();

    const cookie = await sessionCookie(context);
    expect(cookie?.value).toMatch(/^syd_/);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    // what an injected script can reach
    const seen = await page.evaluate(() => ({
      cookie: document.cookie,
      local: JSON.stringify({ ...localStorage }),
      session: JSON.stringify({ ...sessionStorage }),
    }));
    expect(seen.cookie).toMatch(/(^|; )syd_csrf=/);
    for (const [where, text] of Object.entries(seen)) {
      expect([where, text.includes(cookie!.value)]).toEqual([where, false]);
      expect([where, /syd_session|syd_[A-Za-z0-9_-]{20,}/.test(text)]).toEqual([where, false]);
    }
    // the cookie is the session: it works for the API, and the page survives a reload with it
    expect((await new Client(s.api.url, cookie!.value).get('/api/v1/me')).body.user.name).toBe(name);
    await page.reload();
    await page.locator('.bp-card').first().waitFor();
    expect(await page.locator('.who').textContent()).toContain(`${name} · member`);
    await context.close();
  }, 120_000);

  it('the app and its docs refuse to be framed by another site, whose forged POST is refused too', async () => {
    const site = await hostileSite(s.api.url);
    // chromium says why it blocked each frame; those lines are the point of this test
    const blocked =
      /^Framing '[^']+' violates the following Content Security Policy directive: "frame-ancestors 'none'"/;
    s.session.expected.push(blocked);
    try {
      const { context, page } = await s.open(s.adminToken);
      const messages: string[] = [];
      page.on('console', (m) => messages.push(m.text()));
      for (const path of ['/', '/docs']) {
        await page.goto(`${site.url}${path}`);
        await page.locator('h1', { hasText: 'another site' }).waitFor();
        const frame = page.frames().find((f) => f !== page.mainFrame());
        expect(frame).toBeDefined();
        await until('the browser to block the frame', async () =>
          messages.some((m) => blocked.test(m) && m.includes(s.api.url)),
        );
        // nothing of the app (nor of swagger-ui) rendered inside it
        const inside = await frame!.evaluate(() => document.body?.innerText ?? '').catch(() => '');
        expect(inside).not.toMatch(/Switchyard|Catalog|Sign in/);
        expect(
          await frame!
            .locator('.bp-card, .swagger-ui')
            .count()
            .catch(() => 0),
        ).toBe(0);
        messages.splice(0);
      }
      await shot(page, 'framed-by-another-site');

      // the browser sends the session cookie along (same host, another port: same site), but not
      // the CSRF token, which only the app's own pages can read
      expect((await sessionCookie(context))?.value).toBe(s.adminToken);
      await page.goto(site.url);
      await page.getByRole('button', { name: 'Win a prize' }).click();
      await page.waitForURL(`${s.api.url}/api/v1/tokens`);
      const answer = JSON.parse(await page.evaluate(() => document.body.innerText)) as Record<
        string,
        unknown
      >;
      expect(answer).toMatchObject({ statusCode: 403, message: expect.stringContaining('x-csrf-token') });
      const tokens = await s.admin.get('/api/v1/tokens?limit=500');
      expect(tokens.body.items.some((t: { name: string }) => t.name === 'forged-by-another-site')).toBe(
        false,
      );
      await context.close();
    } finally {
      site.server.close();
    }
  }, 120_000);

  it('the API docs render under their own CSP (inline styles, no inline script) without a violation', async () => {
    const { context, page } = await s.open();
    const res = await page.goto(`${s.api.url}/api/docs`);
    expect(res?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await page.locator('.swagger-ui .info .title', { hasText: 'Switchyard API' }).waitFor();
    await page.locator('.opblock-tag', { hasText: 'sessions' }).first().waitFor();
    await shot(page, 'api-docs');
    // a CSP violation is a console error, which the stack's afterEach refuses
    await context.close();
  }, 60_000);
}
