import { formatProblem } from './blueprint-files.util.js';
import { nameAndVersion, parsePairs, typedParameters } from './blueprint-plan.util.js';

describe('syd blueprint plan arguments', () => {
  it('rejoins values the list flag split at commas', () => {
    expect([...parsePairs(['a=1', 'tags=x', 'y', 'url=http://h/?q=1'], '-p')]).toEqual([
      ['a', '1'],
      ['tags', 'x,y'],
      ['url', 'http://h/?q=1'],
    ]);
    expect(() => parsePairs(['oops'], '-p')).toThrow(/KEY=VALUE/);
  });

  it('types values as the blueprint declares them, leaving the rest as text', () => {
    const declared = {
      n: { type: 'integer' as const },
      f: { type: 'boolean' as const },
      s: { type: 'string' as const },
    };
    const pairs = new Map([
      ['n', '3'],
      ['f', 'true'],
      ['s', '42'],
      ['x', '7'],
      ['bad', 'z'],
    ]);
    expect(typedParameters(pairs, declared)).toEqual({ n: 3, f: true, s: '42', x: '7', bad: 'z' });
    expect(typedParameters(new Map([['n', 'three']]), declared)).toEqual({ n: 'three' });
  });

  it('reads NAME, NAME@RANGE and NAME VERSION', () => {
    expect(nameAndVersion(['shop'])).toEqual({ name: 'shop', version: 'latest' });
    expect(nameAndVersion(['shop@^1.2'])).toEqual({ name: 'shop', version: '^1.2' });
    expect(nameAndVersion(['shop', '1.0.0'])).toEqual({ name: 'shop', version: '1.0.0' });
    expect(() => nameAndVersion([])).toThrow(/name is required/);
  });

  it('prints problems as FILE:LINE:COL: path: message', () => {
    expect(formatProblem('a.yaml', { path: 'tiers.web', message: 'bad', line: 3, column: 5 })).toBe(
      'a.yaml:3:5: tiers.web: bad',
    );
    expect(formatProblem('a.json', { path: '', message: 'empty' })).toBe('a.json: (document): empty');
  });
});
