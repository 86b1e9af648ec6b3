/** Failed password checks in a row before sign-in is locked. */
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
