import type { Page } from 'playwright-core';
import { Client } from '../../support/http.js';
import { chooseWithArrows, focused, named, tabTo } from '../support/a11y.js';
import { shot } from '../support/browser.js';
import { field, type WebStack } from '../support/web-stack.js';

const problemAt = (page: Page, path: string) => field(page, path).locator('.field-error').first();

/** The admin console's users page, and changing one's own password. */
export function userTests(s: WebStack): void {
  it('an admin adds a user (a short password said inline, a refused name beside its box), who signs in with it and changes it; the admin makes them an operator by keyboard', async () => {
    const name = `rue-${s.run}`;
    const password = `rue-password-${s.run}-Qx7`;
    const { context, page } = await s.open(s.adminToken);
    let sent = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/users') sent++;
    });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('table', { name: 'Users' }).waitFor();

    await page.getByRole('button', { name: 'Add user' }).click();
    const form = page.getByRole('form', { name: 'Add user' });
    // the keyboard starts in the form
    expect((await focused(page))?.field).toBe('name');
    await field(page, 'name').locator('input').fill(name);
    await field(page, 'role').locator('select').selectOption('member');
    await field(page, 'email').locator('input').fill(`${name}@example.com`);
    const box = field(page, 'password').locator('input');
    await box.fill('too-short');
    // hidden unless asked, and hidden again on the second press
    expect(await box.getAttribute('type')).toBe('password');
    await form.getByRole('button', { name: 'Show password' }).click();
    expect(await box.getAttribute('type')).toBe('text');
    await form.getByRole('button', { name: 'Hide password' }).click();
    expect(await box.getAttribute('type')).toBe('password');

    // too short: said beside the box by the form itself, and nothing is sent
    await form.getByRole('button', { name: 'Create user' }).click();
    await problemAt(page, 'password').filter({ hasText: 'must be 12 to 256 characters' }).waitFor();
    expect(await problemAt(page, 'password').getAttribute('data-source')).toBe('local');
    expect(sent).toBe(0);
    await shot(page, 'admin-users-short-password');

    // checked as it is typed: a long enough one clears the problem
    await box.fill(password);
    expect(await problemAt(page, 'password').count()).toBe(0);

    // a name the server refuses: its words beside the name box; the password is not kept
    await field(page, 'name').locator('input').fill('Rue Smith');
    await form.getByRole('button', { name: 'Create user' }).click();
    await problemAt(page, 'name').filter({ hasText: 'lowercase letters' }).waitFor();
    expect(await problemAt(page, 'name').getAttribute('data-source')).toBe('server');
    expect(await box.inputValue()).toBe('');
    expect(sent).toBe(1);

    await field(page, 'name').locator('input').fill(name);
    await box.fill(password);
    await form.getByRole('button', { name: 'Create user' }).click();
    await form.waitFor({ state: 'detached' });
    const row = page.locator(`tr[data-user="${name}"]`);
    await row.filter({ hasText: 'password set' }).waitFor();
    expect(await row.getByTestId('user-role').textContent()).toBe('member');
    await page
      .getByRole('status')
      .filter({ hasText: `User ${name} added with a password.` })
      .waitFor();
    // back on the button that opened the form
    expect(await focused(page)).toMatchObject({ tag: 'button', name: 'Add user' });
    expect(await page.content()).not.toContain(password);

    // the user, in a browser of their own, signs in with user name and password
    const user = await s.open();
    await user.page.goto(`${s.api.url}/`);
    await user.page.getByRole('button', { name: 'User account' }).click();
    await user.page.getByLabel('User name').fill(name);
    await user.page.getByLabel('Password').fill(password);
    await user.page.keyboard.press('Enter');
    await user.page.locator('.bp-card').first().waitFor();
    expect(await user.page.locator('.who').textContent()).toContain(`${name} · member`);

    // and changes it from the top bar: a wrong current password is said at that box
    const newPassword = `rue-new-password-${s.run}-Zk4`;
    await user.page.getByRole('link', { name: 'Change password' }).click();
    await user.page.getByRole('heading', { name: 'Change my password' }).waitFor();
    await user.page.getByLabel('Current password').fill('not-my-password');
    await user.page.getByLabel('New password').fill(newPassword);
    await user.page.getByRole('button', { name: 'Change password' }).click();
    await problemAt(user.page, 'currentPassword')
      .filter({ hasText: 'is not your current password' })
      .waitFor();
    expect(await problemAt(user.page, 'currentPassword').getAttribute('data-source')).toBe('server');
    expect(await user.page.getByLabel('New password').inputValue()).toBe('');
    await user.page.getByLabel('Current password').fill(password);
    await user.page.getByLabel('New password').fill(newPassword);
    await user.page.getByRole('button', { name: 'Change password' }).click();
    await user.page.getByRole('status').filter({ hasText: 'Your password is changed.' }).waitFor();
    await shot(user.page, 'account-password-changed');
    const anon = new Client(s.api.url);
    expect((await anon.post('/api/v1/sessions', { user: name, password: newPassword })).status).toBe(201);
    expect((await anon.post('/api/v1/sessions', { user: name, password })).status).toBe(401);
    await user.context.close();

    // keyboard only: Edit, the role by arrows, Save; the form says what a new password ends
    await tabTo(page, `Edit ${name}`, named(`Edit ${name}`), { max: 60 });
    await page.keyboard.press('Enter');
    const edit = page.getByRole('form', { name: 'Edit user' });
    await edit.waitFor();
    expect(await edit.textContent()).toContain(`A new password ends ${name}'s sign-in sessions`);
    expect(await focused(page)).toMatchObject({ tag: 'select', field: 'role' });
    await chooseWithArrows(page, 'operator');
    await tabTo(page, 'the Save button', named('Save'), { max: 8 });
    await page.keyboard.press('Enter');
    await edit.waitFor({ state: 'detached' });
    await row.getByTestId('user-role').filter({ hasText: 'operator' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'role now operator' }).waitFor();
    expect(await focused(page)).toMatchObject({ tag: 'button', name: `Edit ${name}` });
    const listed = await s.admin.get('/api/v1/users?limit=500');
    expect(listed.body.items.find((u: { name: string }) => u.name === name)).toMatchObject({
      role: 'operator',
      hasPassword: true,
    });
    await shot(page, 'admin-users');
    await context.close();
  }, 180_000);

  it('an operator editing an admin is told why not, in the API’s words; the tokens page tells sessions from API tokens', async () => {
    const me = (await s.admin.get('/api/v1/me')).body as { user: { name: string } };
    // an operator token of the admin user: an operator editing someone above, and themself
    const op = await s.admin.post('/api/v1/tokens', { name: `web-operator-${s.run}`, role: 'operator' });
    expect(op.status).toBe(201);
    const { context, page } = await s.open(op.body.token);
    await page.goto(`${s.api.url}/admin/users`);
    await page.getByRole('button', { name: `Edit ${me.user.name}`, exact: true }).click();
    const edit = page.getByRole('form', { name: 'Edit user' });
    // one's own password is changed elsewhere, with the current one
    await edit.getByRole('link', { name: 'Change my password' }).waitFor();
    await field(page, 'email').locator('input').fill(`admin-${s.run}@example.com`);
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit
      .getByRole('alert')
      .filter({ hasText: 'An operator token cannot change its own admin user' })
      .waitFor();
    await shot(page, 'admin-users-refused');
    await context.close();

    // a password sign-in made a session (the test above): listed as such, with when it ends
    const admin = await s.open(s.adminToken);
    await admin.page.goto(`${s.api.url}/admin/tokens`);
    const session = admin.page.locator('tr[data-token]', { hasText: 'sign-in session' }).first();
    await session.waitFor();
    expect(await session.locator('td').nth(6).textContent()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    const api = admin.page.locator(`tr[data-token="web-operator-${s.run}"]`);
    expect(await api.getByTestId('token-kind').textContent()).toBe('API token');
    await admin.context.close();
  }, 120_000);
}
