import { DeadlineExceeded, isRetryableCloudError, type CloudError } from './cloud.exception.js';

/** How often and how patiently a retryable cloud call is repeated. */
export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  /** Ceiling of the first backoff; doubles each attempt. */
  baseDelayMs: number;
  /** Cap for a single backoff. */
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 5_000 };

/** Time and randomness as a port, so tests can run backoff without waiting. */
export interface RetryClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

export const systemClock: RetryClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/** Exponential backoff with full jitter; a cloud's Retry-After is honoured as a floor. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: number, floorMs = 0): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.max(floorMs, Math.round(random * ceiling));
}

export interface RetryObserver {
  (event: { attempt: number; delayMs: number; error: CloudError }): void;
}

/**
 * Runs `call` and repeats it while it throws a retryable cloud error (Throttled, Unavailable),
 * up to the policy's attempts. Other errors pass through at once. `retryIf` widens or narrows
 * what is repeated (e.g. a resource still InUse for a moment).
 */
export async function withRetry<T>(
  call: () => Promise<T>,
  policy: RetryPolicy = defaultRetryPolicy,
  clock: RetryClock = systemClock,
  onRetry?: RetryObserver,
  retryIf: (error: unknown) => error is CloudError = isRetryableCloudError,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!retryIf(error) || attempt + 1 >= policy.maxAttempts) throw error;
      const delayMs = backoffDelay(attempt, policy, clock.random(), error.retryAfterMs);
      onRetry?.({ attempt: attempt + 1, delayMs, error });
      await clock.sleep(delayMs);
    }
  }
}

export interface PollOptions {
  /** Give up after this long, measured from the first poll. */
  timeoutMs: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Polls `probe` with growing (jittered) pauses until it returns a value, or throws
 * DeadlineExceeded naming `what` once the deadline has passed.
 */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined>,
  what: { provider: CloudError['provider']; description: string },
  options: PollOptions,
  clock: RetryClock = systemClock,
): Promise<T> {
  const policy: RetryPolicy = {
    maxAttempts: Number.POSITIVE_INFINITY,
    baseDelayMs: options.initialDelayMs ?? 250,
    maxDelayMs: options.maxDelayMs ?? 5_000,
  };
  const deadline = clock.now() + options.timeoutMs;
  for (let attempt = 0; ; attempt++) {
    const value = await probe();
    if (value !== undefined) return value;
    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      throw new DeadlineExceeded({
        provider: what.provider,
        cloudCode: 'WaitTimeout',
        cloudMessage: `${what.description} not reached within ${options.timeoutMs} ms`,
      });
    }
    // half fixed, half jitter: polls stay spread out but never collapse to zero
    const delay = backoffDelay(attempt, policy, 0.5 + clock.random() / 2);
    await clock.sleep(Math.min(delay, remaining));
  }
}
