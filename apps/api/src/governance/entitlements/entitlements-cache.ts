import type { Entitlement } from './entitlements.repository.js';

/**
 * Each tenant's entitlements kept in memory, so a catalog list needs no read of them. It answers
 * only while the process hears Postgres's change notices (EntitlementsChangeListener): a notice, or
 * a change made by this process, empties it at once; `ttlMs` bounds what a lost notice could leave.
 */
export class EntitlementsCache {
  private readonly entries = new Map<string, { value: Entitlement; storedAt: number }>();
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

  get(tenantId: string): Entitlement | undefined {
    if (!this.enabled) return undefined;
    const entry = this.entries.get(tenantId);
    if (!entry) return undefined;
    if (this.now() - entry.storedAt >= this.ttlMs) {
      this.entries.delete(tenantId);
      return undefined;
    }
    return entry.value;
  }

  remember(tenantId: string, mark: number, value: Entitlement): void {
    if (!this.enabled || mark !== this.generation) return;
    if (this.entries.size >= this.maxEntries && !this.entries.has(tenantId)) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(tenantId, { value, storedAt: this.now() });
  }

  /** Some tenant's entitlements changed: nothing held before may be answered. */
  forgetAll(): void {
    this.generation++;
    this.entries.clear();
  }

  /** Whether change notices arrive; while they do not, nothing is answered from memory. */
  setListening(listening: boolean): void {
    this.listening = listening;
    this.forgetAll();
  }
}
