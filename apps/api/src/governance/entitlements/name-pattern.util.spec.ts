import { likePatterns, matchesAny } from './name-pattern.util.js';

describe('entitlement name patterns', () => {
  it('matches exact names and * patterns, nothing else', () => {
    expect(matchesAny('wordpress', ['wordpress'])).toBe(true);
    expect(matchesAny('wordpress-ha', ['wordpress'])).toBe(false);
    expect(matchesAny('aws-us-east-1', ['aws-*'])).toBe(true);
    expect(matchesAny('vsphere-dc1', ['aws-*', '*-dc*'])).toBe(true);
    expect(matchesAny('vsphere-dc1', ['aws-*'])).toBe(false);
    expect(matchesAny('anything', ['*'])).toBe(true);
    expect(matchesAny('a-b-c', ['a*c', 'x'])).toBe(true);
    expect(matchesAny('a-b-d', ['a*c'])).toBe(false);
    expect(matchesAny('x', [])).toBe(false);
  });

  it('writes LIKE patterns with the wildcard characters of SQL escaped', () => {
    expect(likePatterns(['aws-*', 'a_b%'])).toEqual(['aws-%', 'a\\_b\\%']);
  });
});
