import { parseArgs, UsageError, type FlagSpec } from './flags.js';

const specs: FlagSpec[] = [
  { name: 'subnet', short: 's', kind: 'string', help: '' },
  { name: 'ip', short: 'ip', kind: 'string', help: '' },
  { name: 'policy', short: 'p', kind: 'list', help: '' },
  { name: 'json', kind: 'bool', help: '' },
];

describe('parseArgs (netctl-style flags)', () => {
  it('reads long, short, inline and multi-letter short flags', () => {
    const { args, flags } = parseArgs(
      ['net', 'create', 'n1', '-s', '10.1.1.0/24', '-ip=10.1.1.5', '--json'],
      specs,
    );
    expect(args).toEqual(['net', 'create', 'n1']);
    expect(flags).toEqual({ subnet: '10.1.1.0/24', ip: '10.1.1.5', json: true });
  });

  it('collects repeated and comma-separated list flags', () => {
    expect(parseArgs(['-p', 'a,b', '--policy', 'c'], specs).flags.policy).toEqual(['a', 'b', 'c']);
  });

  it('keeps negative numbers and everything after -- as arguments', () => {
    expect(parseArgs(['-1', '--', '-s'], specs).args).toEqual(['-1', '-s']);
  });

  it('refuses unknown flags and missing values', () => {
    expect(() => parseArgs(['--nope'], specs)).toThrow(UsageError);
    expect(() => parseArgs(['-s'], specs)).toThrow(/flag -s needs a value/);
  });
});
