import {
  InUse,
  InvalidRequest,
  Throttled,
  Unavailable,
  CloudErrorCode,
  isCloudError,
  type CloudError,
} from './cloud.exception.js';
import { backoffDelay, pollUntil, withRetry, type RetryClock } from './retry.util.js';

function fakeClock(random = 1): RetryClock & { sleeps: number[]; t: number } {
  const clock = {
    sleeps: [] as number[],
    t: 0,
    now: () => clock.t,
    sleep: (ms: number) => {
      clock.sleeps.push(ms);
      clock.t += ms;
      return Promise.resolve();
    },
    random: () => random,
  };
  return clock;
}

const details = { provider: 'aws-ec2' as const, cloudCode: 'X', cloudMessage: 'x' };
const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 350 };

describe('withRetry', () => {
  it('repeats throttled and unavailable calls with exponential, capped pauses', async () => {
    const clock = fakeClock();
    const errors = [new Throttled(details), new Unavailable(details), new Throttled(details)];
    const result = await withRetry(
      () => {
        const e = errors.shift();
        return e ? Promise.reject(e) : Promise.resolve('ok');
      },
      policy,
      clock,
    );
    expect(result).toBe('ok');
    expect(clock.sleeps).toEqual([100, 200, 350]);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const clock = fakeClock();
    let calls = 0;
    const run = withRetry(() => (calls++, Promise.reject(new Throttled(details))), policy, clock);
    await expect(run).rejects.toMatchObject({ code: CloudErrorCode.Throttled });
    expect(calls).toBe(4);
  });

  it('does not repeat errors that are not retryable', async () => {
    const clock = fakeClock();
    let calls = 0;
    const run = withRetry(() => (calls++, Promise.reject(new InvalidRequest(details))), policy, clock);
    await expect(run).rejects.toBeInstanceOf(InvalidRequest);
    expect(calls).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('waits at least as long as the cloud asked (Retry-After)', async () => {
    const clock = fakeClock(0);
    const errors = [new Throttled({ ...details, retryAfterMs: 2_000 })];
    await withRetry(
      () => (errors.length ? Promise.reject(errors.shift()) : Promise.resolve(1)),
      policy,
      clock,
    );
    expect(clock.sleeps).toEqual([2_000]);
  });

  it('repeats what retryIf names, and only that', async () => {
    const clock = fakeClock();
    const inUse = (e: unknown): e is CloudError => isCloudError(e) && e.code === CloudErrorCode.InUse;
    const errors: CloudError[] = [new InUse(details), new InUse(details), new Throttled(details)];
    let calls = 0;
    const run = withRetry(
      () => (calls++, errors.length ? Promise.reject(errors.shift()) : Promise.resolve('ok')),
      policy,
      clock,
      undefined,
      inUse,
    );
    // Throttled is not named by this predicate: it ends the run
    await expect(run).rejects.toBeInstanceOf(Throttled);
    expect(calls).toBe(3);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('spreads pauses with full jitter', () => {
    expect(backoffDelay(3, policy, 0.5)).toBe(175);
    expect(backoffDelay(0, policy, 0)).toBe(0);
  });
});

describe('pollUntil', () => {
  it('returns the first defined value', async () => {
    const clock = fakeClock();
    const values = [undefined, undefined, 'ready'];
    const out = await pollUntil(
      () => Promise.resolve(values.shift()),
      { provider: 'vsphere', description: 'x' },
      { timeoutMs: 10_000 },
      clock,
    );
    expect(out).toBe('ready');
    expect(clock.sleeps).toHaveLength(2);
  });

  it('throws DeadlineExceeded once the deadline has passed', async () => {
    const clock = fakeClock();
    const run = pollUntil(
      () => Promise.resolve(undefined),
      { provider: 'openstack', description: 'server ACTIVE' },
      { timeoutMs: 3_000 },
      clock,
    );
    await expect(run).rejects.toMatchObject({ code: CloudErrorCode.DeadlineExceeded, provider: 'openstack' });
    expect(clock.t).toBe(3_000);
  });
});
