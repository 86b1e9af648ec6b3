/**
 * Values kept in memory by an API process while it hears Postgres's change notices about them. It
 * answers only while listening: a notice (`forgetAll`), or a change made by this process, empties
 * it at once, and `ttlMs` bounds what a lost notice could leave. A value read from the database
 * is kept only if nothing changed since the read began (`mark` before, `remember` after), so a
 * read racing a change never outlives it. At most `maxEntries`, the oldest stored going first.
 */
export class NoticeCache<V> {
  private readonly entries = new Map<string, { value: V; storedAt: number }>();
  private generation = 0;
  private listening = false;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    protected readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0 && this.listening;
  }

  /** Taken before reading the database: `remember` keeps the answer only if nothing changed since. */
  mark(): number {
    return this.generation;
  }

  /** The value held for `key`, unless it is older than `ttlMs` or `isStale` says it no longer holds. */
  get(key: string, isStale?: (value: V, now: number) => boolean): V | undefined {
    if (!this.enabled) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const now = this.now();
    if (now - entry.storedAt >= this.ttlMs || isStale?.(entry.value, now)) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  remember(key: string, mark: number, value: V): void {
    if (!this.enabled || mark !== this.generation) return;
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      // the oldest stored goes first (a Map iterates in insertion order)
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(key, { value, storedAt: this.now() });
  }

  /** Something changed: nothing held before may be answered. */
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
