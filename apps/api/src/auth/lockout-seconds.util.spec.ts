import { lockoutSeconds } from './lockout-seconds.util.js';
import { waitText } from './wait-text.util.js';

describe('lockoutSeconds', () => {
  it('locks from the fifth failure in a row, 30 s doubling up to 15 minutes', () => {
    expect([0, 1, 4].map(lockoutSeconds)).toEqual([0, 0, 0]);
    expect([5, 6, 7, 8, 9, 10].map(lockoutSeconds)).toEqual([30, 60, 120, 240, 480, 900]);
    expect(lockoutSeconds(11)).toBe(900);
    expect(lockoutSeconds(100_000)).toBe(900);
  });
});

describe('waitText', () => {
  it('says seconds under two minutes, then whole minutes, rounding up', () => {
    expect([0.2, 1, 29.5, 119].map(waitText)).toEqual(['1 second', '1 second', '30 seconds', '119 seconds']);
    expect([120, 121, 900].map(waitText)).toEqual(['2 minutes', '3 minutes', '15 minutes']);
  });
});
