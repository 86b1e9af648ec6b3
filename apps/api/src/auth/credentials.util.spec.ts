import { credentials } from './credentials.util.js';

describe('credentials', () => {
  const basic = (s: string): string => `Basic ${Buffer.from(s).toString('base64')}`;

  it('reads a bearer token', () => {
    expect(credentials('Bearer syd_abc')).toBe('syd_abc');
    expect(credentials('bearer  syd_abc ')).toBe('syd_abc');
  });

  it('reads the user name of basic auth, with or without a password', () => {
    expect(credentials(basic('syd_abc:'))).toBe('syd_abc');
    expect(credentials(basic('syd_abc:ignored'))).toBe('syd_abc');
    expect(credentials(basic('syd_abc'))).toBe('syd_abc');
  });

  it('gives nothing for missing or unknown schemes', () => {
    expect(credentials(undefined)).toBeUndefined();
    expect(credentials('Bearer ')).toBeUndefined();
    expect(credentials('Digest abc')).toBeUndefined();
    expect(credentials(basic(':pw'))).toBeUndefined();
  });
});
