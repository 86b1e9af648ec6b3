import { divideRounded, formatDecimal, parseDecimal } from './money.util.js';

describe('money', () => {
  it('parses decimal strings exactly and refuses anything else', () => {
    expect(parseDecimal('0.0416')).toBe(416_000_000n);
    expect(parseDecimal('12')).toBe(120_000_000_000n);
    for (const bad of ['-1', '1.', '.5', '1e3', '0,5', '01.0', '1.12345678901', ' 1']) {
      expect(parseDecimal(bad)).toBeUndefined();
    }
  });

  it('formats with at least two decimals and no trailing zeros beyond them', () => {
    expect(formatDecimal(parseDecimal('30.368') ?? 0n)).toBe('30.368');
    expect(formatDecimal(parseDecimal('12.5') ?? 0n)).toBe('12.50');
    expect(formatDecimal(0n)).toBe('0.00');
    expect(formatDecimal(1n)).toBe('0.0000000001');
  });

  it('divides with half-up rounding', () => {
    expect(formatDecimal(divideRounded(parseDecimal('5') ?? 0n, 730n, 6))).toBe('0.006849');
    expect(formatDecimal(divideRounded(parseDecimal('0.0000025') ?? 0n, 1n, 6))).toBe('0.000003');
  });
});
