import type { Principal } from './principal.js';

interface Entry {
  principal: Principal;
  /** When the token expires (ms since the epoch); null: never. */
  expiresAt: number | null;
  storedAt: number;
  lastUsedAt: number | null;
}

/**
 * Who a token is, kept in memory so most requests need no database round trip. It answers only
 * while the process hears Postgres's change notices (see AuthChangeListener): a notice, or a change
 * made by this process, empties it at once; `ttlMs` bounds what a lost notice could leave.
 * Unknown tokens are never kept, so a new token works at once and guessing costs a lookup each.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;
  private listening = false;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0 && this.listening;
  }

  /** Taken before reading the database: `remember` keeps the answer only if nothing changed since. */
  mark(): number {
    return this.generation;
  }

  get(tokenHash: string): Entry | undefined {
    if (!this.enabled) return undefined;
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    const now = this.now();
    if (now - entry.storedAt >= this.ttlMs || (entry.expiresAt !== null && entry.expiresAt <= now)) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return entry;
  }

  remember(
    tokenHash: string,
    mark: number,
    value: { principal: Principal; expiresAt: Date | null; lastUsedAt: Date | null },
  ): void {
    if (!this.enabled || mark !== this.generation) return;
    if (this.entries.size >= this.maxEntries && !this.entries.has(tokenHash)) {
      // the oldest stored goes first (a Map iterates in insertion order)
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(tokenHash, {
      principal: value.principal,
      expiresAt: value.expiresAt?.getTime() ?? null,
      storedAt: this.now(),
      lastUsedAt: value.lastUsedAt?.getTime() ?? null,
    });
  }

  /** Something about tokens, users or tenants changed: nothing held before may be answered. */
  forgetAll(): void {
    this.generation++;
    this.entries.clear();
  }

  /** Whether change notices arrive; while they do not, nothing is answered from memory. */
  setListening(listening: boolean): void {
    this.listening = listening;
    this.forgetAll();
  }

  get size(): number {
    return this.entries.size;
  }
}
