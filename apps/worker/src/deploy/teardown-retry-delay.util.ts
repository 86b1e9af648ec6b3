// the first pause; each further one doubles, up to the configured cap
const FIRST_DELAY_MS = 1_000;

export interface TeardownRetryState {
  /** Tries that already failed and were put off. */
  tries: number;
  /** Time since the first of them failed (0 before any). */
  elapsedMs: number;
  /** TEARDOWN_RETRY_WINDOW_MS: how long the removal keeps trying. */
  windowMs: number;
  /** TEARDOWN_RETRY_MAX_DELAY_MS: the longest single pause. */
  maxDelayMs: number;
  /** In [0, 1): the jitter. */
  random: number;
}

/**
 * How long a rollback or terminate that met an unreachable cloud waits before its next try, or
 * undefined once the window is spent (the removal then fails, naming what it left). Exponential
 * with half jitter (pauses stay spread out but never collapse to zero); the last pause ends at
 * the window's end, so the last try happens just then.
 */
export function teardownRetryDelay(state: TeardownRetryState): number | undefined {
  const remaining = state.windowMs - state.elapsedMs;
  if (remaining <= 0) return undefined;
  const ceiling = Math.min(state.maxDelayMs, FIRST_DELAY_MS * 2 ** Math.min(state.tries, 30));
  const delay = Math.round(ceiling * (0.5 + state.random / 2));
  return Math.max(1, Math.min(delay, remaining));
}
