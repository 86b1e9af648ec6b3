import type { BlueprintDocument } from '../blueprint.types.js';
import {
  createServiceResolver,
  parseReference,
  pickVersion,
  type VersionEntry,
} from './version-reference.util.js';

const versions: VersionEntry[] = [
  { version: '1.2.0', state: 'published' },
  { version: '1.4.1', state: 'published' },
  { version: '1.5.0', state: 'deprecated' },
  { version: '1.6.0', state: 'draft' },
  { version: '2.0.0-rc.1', state: 'published' },
  { version: '2.0.0', state: 'published' },
  { version: '2.1.0', state: 'deprecated' },
];
const picked = (range: string, includeDeprecated = false): string | undefined => {
  const result = pickVersion(versions, range, { includeDeprecated });
  return result.ok ? result.entry.version : undefined;
};

describe('parseReference', () => {
  it.each([
    ['postgres@^15', 'postgres', '^15'],
    ['postgres@latest', 'postgres', 'latest'],
    ['postgres', 'postgres', 'latest'],
    ['nginx@1.24.0', 'nginx', '1.24.0'],
    ['redis@>=7 <8', 'redis', '>=7 <8'],
    ['redis@~7.2', 'redis', '~7.2'],
  ])('reads %s', (text, name, range) => {
    expect(parseReference(text)).toEqual({ ok: true, reference: { name, range } });
  });

  it.each([
    'Postgres@^15',
    'postgres@',
    'postgres@^^15',
    'postgres@1@2',
    '@1.0.0',
    'pg@banana',
    `pg@${'1'.repeat(70)}`,
  ])('refuses %j with a problem', (text) => {
    const result = parseReference(text);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.problem.message).not.toBe('');
  });
});

describe('pickVersion', () => {
  it('takes the highest matching published version', () => {
    expect(picked('^1.2')).toBe('1.4.1');
    expect(picked('latest')).toBe('2.0.0');
    expect(picked('1.2.0')).toBe('1.2.0');
    expect(picked('~1.2')).toBe('1.2.0');
  });

  it('ignores drafts, and deprecated versions unless asked (existing deployments)', () => {
    expect(picked('1.6.0')).toBeUndefined();
    expect(picked('1.5.0')).toBeUndefined();
    expect(picked('^1', true)).toBe('1.5.0');
    expect(picked('^2', true)).toBe('2.1.0');
  });

  it('does not pick a prerelease for latest, but an explicit one works', () => {
    expect(picked('2.0.0-rc.1')).toBe('2.0.0-rc.1');
  });

  it('explains a miss and a bad range', () => {
    expect(pickVersion(versions, '^3')).toEqual({
      ok: false,
      problem: { path: '', message: 'no published version matches ^3' },
    });
    expect(pickVersion(versions, 'nonsense').ok).toBe(false);
  });
});

describe('createServiceResolver', () => {
  const doc = (name: string, version: string, kind = 'Service') =>
    ({
      apiVersion: 'switchyard.dev/v1',
      kind,
      metadata: { name, version, title: name },
      tiers: {},
    }) as BlueprintDocument;
  const resolve = createServiceResolver([
    { version: '15.2.0', state: 'published', blueprint: doc('postgres', '15.2.0') },
    { version: '15.6.0', state: 'published', blueprint: doc('postgres', '15.6.0') },
    { version: '16.0.0', state: 'draft', blueprint: doc('postgres', '16.0.0') },
    { version: '1.0.0', state: 'published', blueprint: doc('shop', '1.0.0', 'Blueprint') },
  ]);

  it('resolves name and range to a published Service', () => {
    expect(resolve('postgres', '^15')?.version).toBe('15.6.0');
    expect(resolve('postgres', 'latest')?.version).toBe('15.6.0');
    expect(resolve('postgres', '^16')).toBeUndefined();
    expect(resolve('shop', 'latest')).toBeUndefined();
  });
});
