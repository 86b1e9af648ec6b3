import { findInterpolations, interpolate, wholeParameterRef } from './interpolation.util.js';

describe('interpolation', () => {
  it('finds parameter and tier references, flags malformed ones, skips shell variables', () => {
    expect(
      findInterpolations('${params.a} ${tiers.db.address} ${tiers.db} ${params.} ${HOME} $PATH'),
    ).toEqual([
      { kind: 'param', name: 'a', text: '${params.a}' },
      { kind: 'tier', name: 'db', text: '${tiers.db.address}' },
      { kind: 'malformed', text: '${tiers.db}' },
      { kind: 'malformed', text: '${params.}' },
    ]);
  });

  it('recognises a whole-string parameter reference only', () => {
    expect(wholeParameterRef('${params.appCount}')).toBe('appCount');
    expect(wholeParameterRef(' ${params.appCount}')).toBeUndefined();
  });

  it('renders values and addresses, leaving the rest', () => {
    const out = interpolate(
      'https://${tiers.web.address}:${params.port}/ ${HOME} ${params.nope}',
      { port: 8443 },
      (t) => `${t}.internal`,
    );
    expect(out).toBe('https://web.internal:8443/ ${HOME} ${params.nope}');
  });
});
