import { loadBlueprint } from './load-blueprint.util.js';

const ctx = { resolveService: () => undefined };
const HEAD =
  'apiVersion: switchyard.dev/v1\nkind: Blueprint\nmetadata: { name: t, version: 1.0.0, title: T }\n';
const SIZE = 'size: { cpu: 1, memoryMiB: 512 }';
const IMAGE = 'image: { os: ubuntu, version: "22.04" }';
const TIER = `{ ${SIZE}, ${IMAGE} }`;
const tiers = (extra = ''): string => `tiers:\n  a: { ${SIZE}, ${IMAGE}${extra} }\n`;
const param = (spec: string): string => `${HEAD}parameters:\n  x: ${spec}\n${tiers()}`;

// [description, YAML text, the exact paths reported]
const fixtures: [string, string, string[]][] = [
  [
    'apiVersion missing',
    `kind: Blueprint\nmetadata: { name: t, version: 1.0.0, title: T }\n${tiers()}`,
    ['apiVersion'],
  ],
  ['apiVersion wrong', HEAD.replace('v1', 'v2') + tiers(), ['apiVersion']],
  ['kind unknown', HEAD.replace('kind: Blueprint', 'kind: Stack') + tiers(), ['kind']],
  ['metadata.title missing', HEAD.replace(', title: T', '') + tiers(), ['metadata.title']],
  ['metadata.name not a DNS label', HEAD.replace('name: t', 'name: Shop_1') + tiers(), ['metadata.name']],
  [
    'metadata.name longer than 63',
    HEAD.replace('name: t', `name: ${'a'.repeat(64)}`) + tiers(),
    ['metadata.name'],
  ],
  ['metadata.version not semver', HEAD.replace('1.0.0', '"1.2"') + tiers(), ['metadata.version']],
  ['metadata.version a number', HEAD.replace('1.0.0', '1.2') + tiers(), ['metadata.version']],
  ['metadata.version leading zero', HEAD.replace('1.0.0', '01.2.0') + tiers(), ['metadata.version']],
  ['metadata.version bad prerelease', HEAD.replace('1.0.0', '1.0.0-01') + tiers(), ['metadata.version']],
  ['unknown top-level field', `${HEAD}spec: {}\n${tiers()}`, ['spec']],
  ['unknown metadata field', HEAD.replace('title: T', 'title: T, labels: {}') + tiers(), ['metadata.labels']],
  ['tags repeated', HEAD.replace('title: T', 'title: T, tags: [web, web]') + tiers(), ['metadata.tags.1']],
  ['tiers empty', `${HEAD}tiers: {}\n`, ['tiers']],
  ['tiers a list', `${HEAD}tiers: [a, b]\n`, ['tiers']],
  ['tiers missing', HEAD, ['tiers']],
  ['tier name not a DNS label', `${HEAD}tiers:\n  Web_1: ${TIER}\n`, ['tiers.Web_1']],
  ['tier named internet', `${HEAD}tiers:\n  internet: ${TIER}\n`, ['tiers.internet']],
  ['tier without size or image', `${HEAD}tiers:\n  a: { count: 1 }\n`, ['tiers.a.size', 'tiers.a.image']],
  [
    'size without memoryMiB',
    `${HEAD}tiers:\n  a: { size: { cpu: 1 }, ${IMAGE} }\n`,
    ['tiers.a.size.memoryMiB'],
  ],
  [
    'cpu and memory below range',
    `${HEAD}tiers:\n  a: { size: { cpu: 0, memoryMiB: 128 }, ${IMAGE} }\n`,
    ['tiers.a.size.cpu', 'tiers.a.size.memoryMiB'],
  ],
  [
    'cpu and disk above range',
    `${HEAD}tiers:\n  a: { size: { cpu: 300, memoryMiB: 512, diskGiB: 70000 }, ${IMAGE} }\n`,
    ['tiers.a.size.cpu', 'tiers.a.size.diskGiB'],
  ],
  [
    'cpu a string',
    `${HEAD}tiers:\n  a: { size: { cpu: two, memoryMiB: 512 }, ${IMAGE} }\n`,
    ['tiers.a.size.cpu'],
  ],
  [
    'cpu fractional',
    `${HEAD}tiers:\n  a: { size: { cpu: 1.5, memoryMiB: 512 }, ${IMAGE} }\n`,
    ['tiers.a.size.cpu'],
  ],
  [
    'image version unquoted (a number)',
    `${HEAD}tiers:\n  a: { ${SIZE}, image: { os: ubuntu, version: 22.04 } }\n`,
    ['tiers.a.image.version'],
  ],
  ['unknown tier field', HEAD + tiers(', replicas: 3'), ['tiers.a.replicas']],
  ['env value a number', HEAD + tiers(', env: { PORT: 8080 }'), ['tiers.a.env.PORT']],
  ['env name invalid', HEAD + tiers(', env: { my-var: x }'), ['tiers.a.env.my-var']],
  [
    'bad ports',
    HEAD + tiers(', ports: [0/tcp, 65536/tcp, 80/icmp, 80]'),
    ['tiers.a.ports.0', 'tiers.a.ports.1', 'tiers.a.ports.2', 'tiers.a.ports.3'],
  ],
  ['ports repeated', HEAD + tiers(', ports: [80/tcp, 80/tcp]'), ['tiers.a.ports.1']],
  ['count fractional', HEAD + tiers(', count: 1.5'), ['tiers.a.count']],
  ['count a word', HEAD + tiers(', count: three'), ['tiers.a.count']],
  ['count above the limit', HEAD + tiers(', count: 2000'), ['tiers.a.count']],
  ['scale without max', HEAD + tiers(', scale: { min: 1 }'), ['tiers.a.scale.max']],
  ['init packages not a list', HEAD + tiers(', init: { packages: nginx }'), ['tiers.a.init.packages']],
  ['parameter type unknown', param('{ type: text }'), ['parameters.x.type']],
  ['parameter type missing', param('{ default: 1 }'), ['parameters.x.type']],
  [
    'parameter name invalid',
    `${HEAD}parameters:\n  app-count: { type: integer }\n${tiers()}`,
    ['parameters.app-count'],
  ],
  ['unknown parameter field', param('{ type: string, hint: X }'), ['parameters.x.hint']],
  ['parameter label too long', param(`{ type: string, label: ${'L'.repeat(81)} }`), ['parameters.x.label']],
  ['parameter label empty', param("{ type: string, label: '' }"), ['parameters.x.label']],
  ['integer default fractional', param('{ type: integer, default: 1.5 }'), ['parameters.x.default']],
  [
    'integer default above maximum',
    param('{ type: integer, default: 20, maximum: 10 }'),
    ['parameters.x.default'],
  ],
  ['minimum above maximum', param('{ type: number, minimum: 5, maximum: 1 }'), ['parameters.x.minimum']],
  ['integer bound fractional', param('{ type: integer, maximum: 2.5 }'), ['parameters.x.maximum']],
  ['enum without values', param('{ type: enum }'), ['parameters.x.values']],
  ['enum default not a value', param('{ type: enum, values: [s, l], default: m }'), ['parameters.x.default']],
  ['values on a string', param('{ type: string, values: [a] }'), ['parameters.x.values']],
  ['minimum on a string', param('{ type: string, minimum: 1 }'), ['parameters.x.minimum']],
  ['cidr default invalid', param('{ type: cidr, default: 10.0.0.0/33 }'), ['parameters.x.default']],
  ['cidr default with host bits', param('{ type: cidr, default: 10.1.2.3/8 }'), ['parameters.x.default']],
  ['secret with a default', param('{ type: secret, default: hunter2 }'), ['parameters.x.default']],
  ['pattern not a regex', param("{ type: string, pattern: '[' }"), ['parameters.x.pattern']],
  ['pattern with nested repeat', param("{ type: string, pattern: '^(a+)+$' }"), ['parameters.x.pattern']],
  ['pattern on an integer', param("{ type: integer, pattern: '^1$' }"), ['parameters.x.pattern']],
  [
    'default not matching pattern',
    param("{ type: string, pattern: '^v[0-9]+$', default: x1 }"),
    ['parameters.x.default'],
  ],
  ['boolean default a string', param('{ type: boolean, default: "yes" }'), ['parameters.x.default']],
];

describe('validator: shape, types and parameters', () => {
  it.each(fixtures)('%s', (_name, text, paths) => {
    const result = loadBlueprint(text, 'yaml', ctx);
    expect(result.ok).toBe(false);
    const reported = result.ok ? [] : result.problems.map((p) => p.path);
    expect(reported.sort()).toEqual([...paths].sort());
  });

  it('accepts the base fixture, so each failure above comes from its own change', () => {
    expect(loadBlueprint(HEAD + tiers(), 'yaml', ctx).ok).toBe(true);
    expect(
      loadBlueprint(param('{ type: integer, default: 2, minimum: 1, maximum: 3 }'), 'yaml', ctx).ok,
    ).toBe(true);
  });

  it('reports every problem at once, each with line and column', () => {
    const text = [
      'apiVersion: switchyard.dev/v1',
      'kind: Blueprint',
      'metadata:',
      '  name: Bad_Name',
      '  version: "1.0"',
      '  title: T',
      'tiers:',
      '  a:',
      '    size: { cpu: 0, memoryMiB: 512 }',
      '    image: { os: ubuntu, version: "22.04" }',
      '    ports: [80/tcp, 99999/tcp]',
      '    colour: blue',
      '',
    ].join('\n');
    const result = loadBlueprint(text, 'yaml', ctx);
    expect(result.ok).toBe(false);
    const found = result.ok ? [] : result.problems.map(({ path, line, column }) => ({ path, line, column }));
    expect(found).toEqual([
      { path: 'metadata.name', line: 4, column: 3 },
      { path: 'metadata.version', line: 5, column: 3 },
      { path: 'tiers.a.size.cpu', line: 9, column: 13 },
      { path: 'tiers.a.ports.1', line: 11, column: 21 },
      { path: 'tiers.a.colour', line: 12, column: 5 },
    ]);
  });

  it('points a missing field at its parent', () => {
    const result = loadBlueprint(`${HEAD}tiers:\n  a:\n    size: { cpu: 1 }\n    ${IMAGE}\n`, 'yaml', ctx);
    expect(result.ok ? [] : result.problems).toEqual([
      { path: 'tiers.a.size.memoryMiB', message: 'is required', line: 6, column: 5 },
    ]);
  });

  it('says what was expected', () => {
    const result = loadBlueprint(HEAD.replace('1.0.0', '1.2') + tiers(', replicas: 3'), 'yaml', ctx);
    const messages = result.ok ? [] : result.problems.map((p) => p.message);
    expect(messages).toContain('must be a string, not the number 1.2 (put it in quotes)');
    expect(messages.some((m) => m.startsWith('unknown field "replicas" (expected one of: uses, size'))).toBe(
      true,
    );
  });
});
