import type { Page } from 'playwright-core';

// The functions given to page.evaluate run in the page, with the DOM's globals; this project's
// Node tsconfig has no DOM library, so they are declared here, loosely, for this file only.
declare const document: any;
declare const window: any;
declare function getComputedStyle(el: any): any;

/** What has the keyboard focus, as a person would describe it, and whether its ring shows. */
export interface Focused {
  tag: string;
  /** aria-label, else the text of its label, else its own text. */
  name: string;
  /** The `data-field` path of the form box it sits in (the API's path), if any. */
  field: string | null;
  id: string;
  value: string;
  /** It matches :focus-visible and draws an outline or a box-shadow. */
  ring: boolean;
  inDialog: boolean;
  /** Inside the main navigation bar. */
  inNav: boolean;
}

export async function focused(page: Page): Promise<Focused | null> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    const shadow = s.boxShadow !== 'none' && s.boxShadow !== '';
    const labels = el.labels;
    const label = el.getAttribute('aria-label') ?? (labels?.[0]?.textContent || el.textContent || '');
    return {
      tag: el.tagName.toLowerCase(),
      name: label.replace(/\s+/g, ' ').trim(),
      field: el.closest('[data-field]')?.getAttribute('data-field') ?? null,
      id: el.id,
      value: el.value ?? '',
      ring: el.matches(':focus-visible') && (outline || shadow),
      inDialog: el.closest('dialog[open]') !== null,
      inNav: el.closest('nav[aria-label="Main"]') !== null,
    };
  });
}

const show = (f: Focused | null) =>
  f ? `<${f.tag}> "${f.name}"${f.field ? ` [${f.field}]` : ''}` : 'nothing';

/** Fails unless something has the focus and its focus ring is drawn. */
export async function expectRing(page: Page): Promise<Focused> {
  const f = await focused(page);
  if (!f) throw new Error('nothing has the keyboard focus (it went back to the page body)');
  if (!f.ring)
    throw new Error(`the focus on ${show(f)} is not visible (no :focus-visible outline or shadow)`);
  return f;
}

/**
 * Presses Tab (or Shift+Tab) until `want` holds for what has the focus, checking on every stop
 * that the focus ring is drawn. Only keys: the way a keyboard user reaches a control.
 */
export async function tabTo(
  page: Page,
  what: string,
  want: (f: Focused) => boolean,
  { max = 40, back = false }: { max?: number; back?: boolean } = {},
): Promise<Focused> {
  const stops: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await expectRing(page);
    if (want(f)) return f;
    stops.push(show(f));
  }
  throw new Error(`${what} not reached in ${max} presses of Tab; went through: ${stops.join(', ')}`);
}

export const named =
  (name: string | RegExp) =>
  (f: Focused): boolean =>
    typeof name === 'string' ? f.name === name : name.test(f.name);

export const inField =
  (path: string, tag = 'input') =>
  (f: Focused): boolean =>
    f.field === path && f.tag === tag;

/** Picks an option of the focused <select> with the arrow keys, as a keyboard user does. */
export async function chooseWithArrows(page: Page, value: string): Promise<void> {
  const at = await page.evaluate((v) => {
    const s = document.activeElement;
    return { now: s.selectedIndex as number, want: [...s.options].findIndex((o: any) => o.value === v) };
  }, value);
  if (at.want < 0) throw new Error(`the focused select has no option ${value}`);
  const key = at.want > at.now ? 'ArrowDown' : 'ArrowUp';
  for (let i = 0; i < Math.abs(at.want - at.now); i++) await page.keyboard.press(key);
  const now = (await focused(page))?.value;
  if (now !== value) throw new Error(`the arrow keys left the select at ${now}, not ${value}`);
}

/**
 * The page is no wider than the window (tables and diagrams may scroll inside their own box).
 * On failure, names the elements that stick out and are not inside such a box.
 */
export async function expectFits(page: Page, what: string): Promise<void> {
  const r = await page.evaluate(() => {
    const width = window.innerWidth;
    const clipped = (el: any) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== 'visible') return true;
      }
      return false;
    };
    const out = [...document.body.querySelectorAll('*')].filter(
      (el: any) => el.getBoundingClientRect().right > width + 1,
    );
    // those not inside a scrolling box first; else all (absolutely placed ones escape such boxes)
    const free = out.filter((el: any) => !clipped(el));
    const culprits = (free.length ? free : out)
      .slice(0, 5)
      .map(
        (el: any) =>
          `${el.tagName.toLowerCase()}.${el.className} (${Math.round(el.getBoundingClientRect().right)}px)`,
      );
    return { scrollWidth: document.scrollingElement?.scrollWidth ?? 0, width, culprits };
  });
  if (r.scrollWidth > r.width) {
    throw new Error(
      `${what}: the page is ${r.scrollWidth}px wide in a ${r.width}px window; sticking out: ${r.culprits.join(', ') || '?'}`,
    );
  }
}

/**
 * Every link of the main (and, in the admin console, the admin) navigation is on screen, not
 * covered by anything, and big enough to tap; so is Sign out.
 */
export async function expectNavigationUsable(page: Page, what: string): Promise<string[]> {
  const problems = await page.evaluate(() => {
    window.scrollTo(0, 0);
    const out: string[] = [];
    const targets = [
      ...document.querySelectorAll('nav[aria-label="Main"] a, nav[aria-label="Admin"] a'),
      ...[...document.querySelectorAll('header button')].filter((b: any) => b.textContent === 'Sign out'),
    ];
    if (!document.querySelector('nav[aria-label="Main"] a')) out.push('no main navigation');
    for (const el of targets) {
      const r = el.getBoundingClientRect();
      const name = el.textContent?.trim();
      if (r.width === 0 || r.height === 0) out.push(`${name} is not shown`);
      else if (r.left < 0 || r.right > window.innerWidth)
        out.push(`${name} is off screen (${r.left}–${r.right})`);
      else if (r.height < 24) out.push(`${name} is ${r.height}px tall, too small to tap`);
      else {
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        if (!hit || !el.contains(hit)) out.push(`${name} is covered by ${hit?.tagName ?? 'nothing'}`);
      }
    }
    return out;
  });
  if (problems.length) throw new Error(`${what}: the navigation is not usable: ${problems.join('; ')}`);
  return problems;
}
