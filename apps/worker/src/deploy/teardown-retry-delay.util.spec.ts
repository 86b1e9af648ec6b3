import { teardownRetryDelay } from './teardown-retry-delay.util.js';

describe('teardownRetryDelay', () => {
  const base = { tries: 0, elapsedMs: 0, windowMs: 60_000, maxDelayMs: 10_000, random: 1 };

  it('doubles from one second up to the cap', () => {
    const delays = [0, 1, 2, 3, 4, 5].map((tries) => teardownRetryDelay({ ...base, tries }));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  });

  it('jitters between half and all of the ceiling', () => {
    expect(teardownRetryDelay({ ...base, tries: 2, random: 0 })).toBe(2_000);
    expect(teardownRetryDelay({ ...base, tries: 2, random: 0.5 })).toBe(3_000);
  });

  it('ends the last pause at the window’s end, and gives up after it', () => {
    expect(teardownRetryDelay({ ...base, tries: 9, elapsedMs: 57_500 })).toBe(2_500);
    expect(teardownRetryDelay({ ...base, tries: 10, elapsedMs: 60_000 })).toBeUndefined();
    expect(teardownRetryDelay({ ...base, elapsedMs: 61_000 })).toBeUndefined();
  });

  it('never retries with a zero window', () => {
    expect(teardownRetryDelay({ ...base, windowMs: 0 })).toBeUndefined();
  });
});
