import { NoticeCache } from '../common/notice-cache.js';
import type { Principal } from './principal.js';

interface Entry {
  principal: Principal;
  /** When the token expires (ms since the epoch); null: never. */
  expiresAt: number | null;
  lastUsedAt: number | null;
}

/**
 * Who a token is, kept in memory so most requests need no database round trip, for as long as
 * the process hears Postgres's change notices (see AuthChangeListener and NoticeCache). Unknown
 * tokens are never kept, so a new token works at once and guessing costs a lookup each; a token
 * past its expiry is never answered from memory.
 */
export class PrincipalCache {
  private readonly held: NoticeCache<Entry>;

  constructor(ttlMs: number, maxEntries = 10_000, now: () => number = Date.now) {
    this.held = new NoticeCache<Entry>(ttlMs, maxEntries, now);
  }

  get enabled(): boolean {
    return this.held.enabled;
  }

  /** Taken before reading the database: `remember` keeps the answer only if nothing changed since. */
  mark(): number {
    return this.held.mark();
  }

  get(tokenHash: string): Entry | undefined {
    return this.held.get(tokenHash, (e, now) => e.expiresAt !== null && e.expiresAt <= now);
  }

  remember(
    tokenHash: string,
    mark: number,
    value: { principal: Principal; expiresAt: Date | null; lastUsedAt: Date | null },
  ): void {
    this.held.remember(tokenHash, mark, {
      principal: value.principal,
      expiresAt: value.expiresAt?.getTime() ?? null,
      lastUsedAt: value.lastUsedAt?.getTime() ?? null,
    });
  }

  /** Something about tokens, users or tenants changed: nothing held before may be answered. */
  forgetAll(): void {
    this.held.forgetAll();
  }

  /** Whether change notices arrive; while they do not, nothing is answered from memory. */
  setListening(listening: boolean): void {
    this.held.setListening(listening);
  }

  get size(): number {
    return this.held.size;
  }
}
