import { describe, expect, it } from '@jest/globals';
import { interval, niceMax, percent, whole } from './benchmark-format';

describe('benchmark figures', () => {
  it('prints whole numbers with groups, intervals with a dash, percentages', () => {
    expect(whole(1240.4)).toBe('1,240');
    expect(whole(null)).toBe('—');
    expect(interval({ low: 1180.2, high: 1300.7 })).toBe('1,180–1,301');
    expect(percent(0.0123, 2)).toBe('1.23%');
  });

  it('rounds an axis up to 1, 2 or 5 times a power of ten', () => {
    expect(niceMax(0.083)).toBeCloseTo(0.1, 12);
    expect(niceMax(1301)).toBe(2000);
    expect(niceMax(450)).toBe(500);
    expect(niceMax(0)).toBe(1);
  });
});
