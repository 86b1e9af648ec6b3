/** The pause before attempt `attempt + 1` after `attempt` failed: doubling from base, capped. */
export function webhookBackoffMs(attempt: number, base: number, max: number): number {
  return Math.min(max, base * 2 ** Math.min(attempt - 1, 30));
}
