import { webhookBackoffMs } from './webhook-backoff.util.js';

describe('webhook backoff', () => {
  it('doubles from the base after each failed attempt and stops at the cap', () => {
    expect([1, 2, 3, 4, 5].map((a) => webhookBackoffMs(a, 1000, 10_000))).toEqual([
      1000, 2000, 4000, 8000, 10_000,
    ]);
    expect(webhookBackoffMs(100, 1000, 3_600_000)).toBe(3_600_000);
  });
});
