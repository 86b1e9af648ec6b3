import type { Principal } from './principal.js';
import { PrincipalCache } from './principal-cache.js';

const principal = (tokenId: string): Principal => ({
  tokenId,
  userId: 'u1',
  userName: 'ann',
  tenantId: 't1',
  tenantName: 'default',
  role: 'operator',
  delegated: false,
});

describe('PrincipalCache', () => {
  let now: number;
  let cache: PrincipalCache;
  const keep = (hash: string, mark = cache.mark(), expiresAt: Date | null = null) =>
    cache.remember(hash, mark, { principal: principal(hash), expiresAt, lastUsedAt: null });

  beforeEach(() => {
    now = 1_000_000;
    cache = new PrincipalCache(10_000, 3, () => now);
    cache.setListening(true);
  });

  it('answers what it was told until its time is up', () => {
    keep('a');
    expect(cache.get('a')?.principal.tokenId).toBe('a');
    now += 9_999;
    expect(cache.get('a')).toBeDefined();
    now += 1;
    expect(cache.get('a')).toBeUndefined();
  });

  it('never answers for a token past its expiry', () => {
    keep('a', cache.mark(), new Date(now + 500));
    now += 499;
    expect(cache.get('a')).toBeDefined();
    now += 1;
    expect(cache.get('a')).toBeUndefined();
  });

  it('forgets everything on a change, and keeps nothing read before it', () => {
    keep('a');
    const markBeforeRead = cache.mark();
    cache.forgetAll(); // a change committed while the database was being read
    keep('b', markBeforeRead);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBeUndefined();
    keep('c');
    expect(cache.get('c')).toBeDefined();
  });

  it('answers nothing while change notices do not arrive', () => {
    keep('a');
    cache.setListening(false);
    expect(cache.get('a')).toBeUndefined();
    keep('b');
    expect(cache.get('b')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('holds nothing when turned off', () => {
    const off = new PrincipalCache(0, 3, () => now);
    off.setListening(true);
    off.remember('a', off.mark(), { principal: principal('a'), expiresAt: null, lastUsedAt: null });
    expect(off.get('a')).toBeUndefined();
  });

  it('lets the oldest go when full', () => {
    for (const h of ['a', 'b', 'c', 'd']) keep(h);
    expect(cache.size).toBe(3);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('d')).toBeDefined();
  });
});
