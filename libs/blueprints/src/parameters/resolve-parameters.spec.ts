import type { ParameterSpec } from '../blueprint.types.js';
import { REDACTED, redactParameters, resolveParameters } from './resolve-parameters.util.js';

const parameters: Record<string, ParameterSpec> = {
  count: { type: 'integer', default: 2, minimum: 1, maximum: 10 },
  ratio: { type: 'number', minimum: 0, maximum: 1 },
  name: { type: 'string', pattern: '^[a-z]+$' },
  debug: { type: 'boolean', default: false },
  size: { type: 'enum', values: ['small', 'large'], default: 'small' },
  password: { type: 'secret', required: true },
  admin: { type: 'cidr', default: '10.0.0.0/8' },
};
const bp = { parameters };

describe('resolveParameters', () => {
  it('fills defaults and keeps supplied values, secrets included', () => {
    expect(resolveParameters(bp, { password: 's3cret', ratio: 0.5, admin: '2001:db8::/32' })).toEqual({
      values: {
        count: 2,
        ratio: 0.5,
        debug: false,
        size: 'small',
        password: 's3cret',
        admin: '2001:db8::/32',
      },
      problems: [],
    });
  });

  it('reports unknown, missing, mistyped, out-of-range, enum, pattern and cidr problems by path', () => {
    const result = resolveParameters(bp, {
      extra: 1,
      count: 11,
      ratio: 'half',
      name: 'Bob',
      debug: 'yes',
      size: 'medium',
      admin: '10.0.0.1/8',
    });
    expect(result.problems).toEqual([
      { path: 'parameters.extra', message: 'is not a parameter of this blueprint' },
      { path: 'parameters.count', message: 'must be at most 10' },
      { path: 'parameters.ratio', message: 'must be a number' },
      { path: 'parameters.name', message: 'must match ^[a-z]+$' },
      { path: 'parameters.debug', message: 'must be true or false' },
      { path: 'parameters.size', message: 'must be one of: small, large' },
      { path: 'parameters.password', message: 'is required' },
      { path: 'parameters.admin', message: '"10.0.0.1/8" has host bits set; did you mean 10.0.0.0/8?' },
    ]);
  });

  it('never echoes a secret value in a problem', () => {
    const result = resolveParameters(
      { parameters: { pw: { type: 'secret', pattern: '^.{12,}$' } } },
      { pw: 'short-pw' },
    );
    expect(result.problems).toHaveLength(1);
    expect(JSON.stringify(result.problems)).not.toContain('short-pw');
  });

  it('rejects fractional integers and empty secrets', () => {
    expect(resolveParameters(bp, { count: 2.5, password: '' }).problems.map((p) => p.path)).toEqual([
      'parameters.count',
      'parameters.password',
    ]);
  });
});

describe('redactParameters', () => {
  it('replaces secret values only', () => {
    expect(redactParameters(bp, { password: 's3cret', count: 3 })).toEqual({ password: REDACTED, count: 3 });
    expect(REDACTED).toBe('********');
  });
});
