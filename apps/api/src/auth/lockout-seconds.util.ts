/** Failed password checks in a row, for one user name from one client address, before it is locked. */
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_BASE_SECONDS = 30;
export const LOCKOUT_MAX_SECONDS = 15 * 60;

/**
 * How long sign-in stays locked once `failures` checks in a row have failed: nothing below the
 * threshold, then 30 s doubling with each further failure, up to 15 minutes.
 */
export function lockoutSeconds(failures: number): number {
  if (failures < LOCKOUT_THRESHOLD) return 0;
  // the exponent is capped: a patient attacker can push the count very high
  const doublings = Math.min(failures - LOCKOUT_THRESHOLD, 20);
  return Math.min(LOCKOUT_BASE_SECONDS * 2 ** doublings, LOCKOUT_MAX_SECONDS);
}

/**
 * The slower limit per user name, whatever the address: failed checks per window. One address
 * alone stays under it (its own lock leaves it about 10 a window), so locking someone out this
 * way takes many addresses; it bounds how fast many addresses together can guess.
 */
export const USER_FAILURES_PER_WINDOW = 50;
export const USER_WINDOW_SECONDS = 15 * 60;
/** Failures in a row are forgotten after this long without one. */
export const FAILURES_MEMORY_SECONDS = 24 * 3600;
