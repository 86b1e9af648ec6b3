import { cookieHeader } from './cookie-header.util.js';

describe('cookieHeader', () => {
  it('reads name=value pairs, trimmed, first of a repeated name', () => {
    const c = cookieHeader(' a=1;b = two ; a=3;empty=;c="quoted"');
    expect([...c]).toEqual([
      ['a', '1'],
      ['b', 'two'],
      ['empty', ''],
      ['c', 'quoted'],
    ]);
  });

  it('decodes percent-encoding, and keeps a value that is not valid encoding as sent', () => {
    expect(cookieHeader('x=a%20b; y=%E0%A4%A; z=%').get('x')).toBe('a b');
    expect(cookieHeader('x=a%20b; y=%E0%A4%A; z=%').get('y')).toBe('%E0%A4%A');
    expect(cookieHeader('x=a%20b; y=%E0%A4%A; z=%').get('z')).toBe('%');
  });

  it('skips pieces without a name or an =, and takes no header or an array as none', () => {
    expect([...cookieHeader('=v; novalue; ;;k=v')]).toEqual([['k', 'v']]);
    expect(cookieHeader(undefined).size).toBe(0);
    expect(cookieHeader(['a=1']).size).toBe(0);
    expect(cookieHeader('').size).toBe(0);
  });

  it('is linear: a huge header of separators or = signs is read in a few milliseconds and bounded', () => {
    for (const piece of [';', '=', 'a=', 'a;', '%', ' ;=']) {
      const started = performance.now();
      const c = cookieHeader(piece.repeat(1_000_000));
      expect(performance.now() - started).toBeLessThan(200);
      expect(c.size).toBeLessThanOrEqual(1);
    }
    // what lies past the bound is not read
    expect(cookieHeader(`${'p='.padEnd(20_000, 'x')}; late=1`).has('late')).toBe(false);
  });
});
