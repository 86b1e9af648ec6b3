import { createHmac, timingSafeEqual } from 'node:crypto';

/** The headers every delivery carries (documented in the README for receivers). */
export const WEBHOOK_HEADERS = {
  /** Unix time in seconds when the attempt was signed. */
  timestamp: 'switchyard-timestamp',
  /** `v1=` and the hex HMAC-SHA256 of `<timestamp>.<body>` under the subscription's secret. */
  signature: 'switchyard-signature',
  /** The event's type, e.g. `approval.requested`. */
  event: 'switchyard-event',
  /** The delivery's id: the same on every retry, so receivers can drop repeats. */
  delivery: 'switchyard-delivery',
} as const;

/** The signature header's value for `body` sent at `timestamp` (seconds). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * What a receiver does: recompute the signature over the raw body and compare in constant time,
 * refusing timestamps further than `toleranceSeconds` from its clock (replays).
 */
export function verifyWebhook(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  now = Date.now(),
  toleranceSeconds = 300,
): boolean {
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || Math.abs(now / 1000 - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, ts, body));
  const given = Buffer.from(headers.signature ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
