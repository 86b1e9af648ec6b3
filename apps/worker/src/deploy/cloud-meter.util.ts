import type { CloudAdapter } from '@switchyard/cloud-adapters';

/**
 * Wall time during which at least one cloud call was in flight: what a step spent waiting on
 * clouds. The rest of the step's time is Switchyard's own overhead.
 */
export class CloudMeter {
  private inFlight = 0;
  private since = 0;
  private busy = 0;

  get busyMs(): number {
    return this.busy + (this.inFlight > 0 ? performance.now() - this.since : 0);
  }

  async time<T>(call: () => Promise<T>): Promise<T> {
    if (this.inFlight++ === 0) this.since = performance.now();
    try {
      return await call();
    } finally {
      if (--this.inFlight === 0) this.busy += performance.now() - this.since;
    }
  }

  /** The adapter with every method call timed. */
  wrap(adapter: CloudAdapter): CloudAdapter {
    return new Proxy(adapter, {
      get: (target, prop, receiver) => {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) =>
          this.time(() => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
      },
    });
  }
}
