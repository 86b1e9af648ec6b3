import { intervalsOverlap, median, percentile, scaleInterval, summarizeRuns } from './summary.util.js';

describe('summarizeRuns', () => {
  it('gives the mean, median, sample deviation, CV and the t interval', () => {
    // mean 10, sample sd sqrt(2.5) = 1.5811; t(0.975, 4) = 2.7764; half-width 1.9632
    const s = summarizeRuns([8, 9, 10, 11, 12]);
    expect(s.n).toBe(5);
    expect(s.mean).toBe(10);
    expect(s.median).toBe(10);
    expect(s.stdDev).toBeCloseTo(1.58114, 5);
    expect(s.coefficientOfVariation).toBeCloseTo(0.158114, 6);
    expect(s.interval!.low).toBeCloseTo(8.0368, 4);
    expect(s.interval!.high).toBeCloseTo(11.9632, 4);
  });

  it('matches a textbook interval at 99%', () => {
    // n = 10, mean 50, sd 4: 50 ± 3.2498 * 4 / sqrt(10) = 50 ± 4.1107
    const values = [44, 46, 47, 49, 50, 50, 51, 53, 54, 56];
    const s = summarizeRuns(values, 0.99);
    const half = (s.interval!.high - s.interval!.low) / 2;
    expect(half).toBeCloseTo((3.2498 * s.stdDev) / Math.sqrt(10), 3);
  });

  it('has no interval for one run and no CV for a zero mean', () => {
    expect(summarizeRuns([7]).interval).toBeNull();
    expect(summarizeRuns([0, 0]).coefficientOfVariation).toBeNull();
  });

  it('refuses no runs', () => {
    expect(() => summarizeRuns([])).toThrow(RangeError);
  });
});

describe('median and percentile', () => {
  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });

  it('nearest-rank percentiles', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(v, 50)).toBe(50);
    expect(percentile(v, 95)).toBe(95);
    expect(percentile(v, 99)).toBe(99);
    expect(percentile([5, 1, 3], 100)).toBe(5);
  });
});

describe('intervals', () => {
  it('overlap when they share a point, not otherwise', () => {
    expect(intervalsOverlap({ low: 1, high: 3 }, { low: 2, high: 4 })).toBe(true);
    expect(intervalsOverlap({ low: 1, high: 2 }, { low: 2, high: 4 })).toBe(true);
    expect(intervalsOverlap({ low: 1, high: 1.9 }, { low: 2, high: 4 })).toBe(false);
    expect(intervalsOverlap({ low: 5, high: 6 }, { low: 2, high: 4 })).toBe(false);
  });

  it('scale by a constant', () => {
    expect(scaleInterval({ low: 2, high: 4 }, 0.5)).toEqual({ low: 1, high: 2 });
  });
});
