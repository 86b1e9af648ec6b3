import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { gate } from '../../support/skips.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
const SHOTS = resolve(import.meta.dirname, '../../../test-output/screenshots');

/** `describe`, or `describe.skip` (counted and summarised as skipped) without chromium. */
export const describeBrowser = gate({
  available: hasChromium,
  reason: `chromium is missing at ${CHROMIUM} (apt-get install chromium; .ci/run does)`,
  requiredBy: 'CHROMIUM_REQUIRED',
}).describe;

/** A headless Debian chromium with its own profile, and every console error and page error kept. */
export class BrowserSession {
  readonly problems: string[] = [];
  /** Console errors the running test provokes on purpose (a stubbed 503); cleared after each test. */
  readonly expected: RegExp[] = [];
  private constructor(readonly browser: Browser) {}

  static async launch(): Promise<BrowserSession> {
    // the machine's network is closed: no background networking, no updates, no sync. Playwright
    // gives every launch a fresh, empty --user-data-dir of its own and removes it on close.
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    return new BrowserSession(browser);
  }

  async page(width = 1280, height = 900): Promise<{ context: BrowserContext; page: Page }> {
    const context = await this.browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const text = msg.text();
      // the browser's own line for an answer the test provoked on purpose (400 for a bad
      // parameter, 409 for a refused action); the app shows those itself
      if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return;
      if (this.expected.some((e) => e.test(text))) return;
      this.problems.push(`console: ${text}`);
    });
    page.on('pageerror', (err) => this.problems.push(`page error: ${err.message}`));
    return { context, page };
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

/** A full-page screenshot under test-output/screenshots/ (kept by CI). */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

export async function signIn(page: Page, baseUrl: string, token: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('Token').fill(token);
  // by keyboard, as a person would: the field has focus, Enter submits
  await page.keyboard.press('Enter');
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** Polls `check` until it holds (pages update after their answers arrive). */
export async function until(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
