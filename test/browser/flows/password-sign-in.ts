import type { BrowserContext } from 'playwright-core';
import { Client } from '../../support/http.js';
import { shot } from '../support/browser.js';
import type { WebStack } from '../support/web-stack.js';

// page.evaluate runs in the page; this project's Node tsconfig has no DOM library
declare const localStorage: Record<string, string>;
declare const document: { cookie: string };

/** The session's token, in the HttpOnly cookie: the test reads it through the browser, the page cannot. */
const sessionToken = async (context: BrowserContext) =>
  (await context.cookies()).find((c) => c.name === 'syd_session')?.value;

const REFUSED = 'The tenant, user name or password is wrong';

/** Signing in with a user account (issue #7): the session survives a reload, sign-out revokes it. */
export function passwordSignInTests(s: WebStack): void {
  it('a user made by an admin signs in with user name and password, reloads, signs out, and the token is dead', async () => {
    const name = `pat-${s.run}`;
    const password = `pat-password-${s.run}-Qx7`;
    const created = await s.admin.post('/api/v1/users', { name, role: 'member', password });
    expect(created.status).toBe(201);
    expect(created.body.hasPassword).toBe(true);

    const { context, page } = await s.open();
    await page.goto(`${s.api.url}/`);
    const userAccount = page.getByRole('button', { name: 'User account' });
    await userAccount.click();
    expect(await userAccount.getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByLabel('Tenant').inputValue()).toBe('default');

    // a wrong password: said on the form, and the password box is emptied
    await page.getByLabel('User name').fill(name);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: REFUSED }).waitFor();
    expect(await page.getByLabel('Password').inputValue()).toBe('');
    await shot(page, 'sign-in-password-refused');

    await page.getByLabel('Password').fill(password);
    await page.keyboard.press('Enter');
    await page.locator('.bp-card').first().waitFor();
    expect(new URL(page.url()).pathname).toBe('/catalog');
    expect(await page.locator('.who').textContent()).toContain(`${name} · member`);
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + document.cookie);
    expect(stored).not.toContain(password);
    const token = await sessionToken(context);
    expect(token).toMatch(/^syd_/);
    expect(stored).not.toContain(token);
    const api = new Client(s.api.url, token!);
    expect((await api.get('/api/v1/me')).body).toMatchObject({ user: { name }, role: 'member' });

    // the session survives a reload (the cookie)
    await page.reload();
    await page.locator('.bp-card').first().waitFor();
    expect(await page.locator('.who').textContent()).toContain(`${name} · member`);
    await shot(page, 'sign-in-password-catalog');

    // sign-out revokes the session's token on the server, and the page offers the same way back in
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('User name').waitFor();
    expect(await sessionToken(context)).toBeUndefined();
    // and a reload after sign-out stays signed out
    await page.reload();
    await page.getByLabel('User name').waitFor();
    expect((await api.get('/api/v1/me')).status).toBe(401);
    await context.close();
  }, 120_000);

  it('a locked sign-in says how long to wait; signing out of a pasted token forgets it without revoking it', async () => {
    const name = `quinn-${s.run}`;
    const password = `quinn-password-${s.run}-Qx7`;
    expect((await s.admin.post('/api/v1/users', { name, role: 'member', password })).status).toBe(201);
    const anon = new Client(s.api.url);
    for (let i = 0; i < 5; i++) {
      const res = await anon.post('/api/v1/sessions', { user: name, password: `guess-${i}` });
      expect(res.status).toBe(401);
    }
    const { context, page } = await s.open();
    await page.goto(`${s.api.url}/`);
    await page.getByRole('button', { name: 'User account' }).click();
    await page.getByLabel('User name').fill(name);
    await page.getByLabel('Password').fill(password);
    await page.keyboard.press('Enter');
    await page
      .getByRole('alert')
      .filter({ hasText: /Too many failed sign-ins: try again in \d+ seconds/ })
      .waitFor();
    await shot(page, 'sign-in-password-locked');

    // a pasted token (a long-lived one, maybe used elsewhere): sign-out only forgets it here
    await page.getByRole('button', { name: 'API token' }).click();
    const pasted = await s.admin.post('/api/v1/tokens', { name: `pasted-${s.run}`, role: 'member' });
    await page.getByLabel('Token').fill(pasted.body.token);
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Token').waitFor();
    expect(await sessionToken(context)).toBeUndefined();
    expect((await new Client(s.api.url, pasted.body.token).get('/api/v1/me')).status).toBe(200);
    await context.close();
  }, 120_000);
}
