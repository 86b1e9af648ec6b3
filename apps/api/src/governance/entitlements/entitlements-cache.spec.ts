import { EntitlementsCache } from './entitlements-cache.js';
import type { Entitlement } from './entitlements.repository.js';

const entitled = (...blueprints: string[]): Entitlement => ({
  blueprints,
  environments: null,
  updatedAt: null,
});

describe('EntitlementsCache', () => {
  let now: number;
  let cache: EntitlementsCache;

  beforeEach(() => {
    now = 1_000_000;
    cache = new EntitlementsCache(10_000, 2, () => now);
    cache.setListening(true);
  });

  it('answers what it was told until its time is up', () => {
    cache.remember('t1', cache.mark(), entitled('a'));
    expect(cache.get('t1')?.blueprints).toEqual(['a']);
    now += 9_999;
    expect(cache.get('t1')).toBeDefined();
    now += 1;
    expect(cache.get('t1')).toBeUndefined();
  });

  it('forgets everything on a notice, and keeps no answer read before it', () => {
    cache.remember('t1', cache.mark(), entitled('a'));
    const mark = cache.mark();
    cache.forgetAll();
    expect(cache.get('t1')).toBeUndefined();
    // a read that began before the change may hold the old row: not kept
    cache.remember('t2', mark, entitled('old'));
    expect(cache.get('t2')).toBeUndefined();
  });

  it('answers nothing while notices do not arrive, nor with no time to keep', () => {
    cache.remember('t1', cache.mark(), entitled('a'));
    cache.setListening(false);
    expect(cache.get('t1')).toBeUndefined();
    cache.remember('t1', cache.mark(), entitled('a'));
    expect(cache.get('t1')).toBeUndefined();
    const off = new EntitlementsCache(0, 2, () => now);
    off.setListening(true);
    off.remember('t1', off.mark(), entitled('a'));
    expect(off.get('t1')).toBeUndefined();
  });

  it('holds at most maxEntries tenants, the oldest leaving first', () => {
    for (const t of ['t1', 't2', 't3']) cache.remember(t, cache.mark(), entitled(t));
    expect(cache.get('t1')).toBeUndefined();
    expect(cache.get('t2')?.blueprints).toEqual(['t2']);
    expect(cache.get('t3')?.blueprints).toEqual(['t3']);
  });
});
