import type { BlueprintDocument, ServiceResolver } from '../blueprint.types.js';
import { createServiceResolver } from '../reference/version-reference.util.js';
import { checkBlueprint } from './validate-blueprint.util.js';
import { loadBlueprint } from './load-blueprint.util.js';

const service = (
  name: string,
  version: string,
  tier: Record<string, unknown>,
  kind = 'Service',
): BlueprintDocument =>
  ({
    apiVersion: 'switchyard.dev/v1',
    kind,
    metadata: { name, version, title: name },
    tiers: { [name]: tier },
  }) as BlueprintDocument;

const POSTGRES_TIER = {
  size: { cpu: 2, memoryMiB: 4096, diskGiB: 50 },
  image: { os: 'ubuntu', version: '22.04' },
  ports: ['5432/tcp'],
  init: { packages: ['postgresql'], script: 'echo ${tiers.postgres.address} > /etc/self; echo ${HOME}' },
  env: { PGUSER: 'app', PGDATABASE: 'app' },
};
const resolver: ServiceResolver = createServiceResolver([
  { version: '15.6.0', state: 'published', blueprint: service('postgres', '15.6.0', POSTGRES_TIER) },
  { version: '16.1.0', state: 'draft', blueprint: service('postgres', '16.1.0', POSTGRES_TIER) },
  { version: '1.0.0', state: 'published', blueprint: service('shop', '1.0.0', POSTGRES_TIER, 'Blueprint') },
  {
    version: '1.0.0',
    state: 'published',
    blueprint: service('leaky', '1.0.0', { ...POSTGRES_TIER, init: {}, env: { TOKEN: '${params.token}' } }),
  },
]);
const ctx = { resolveService: resolver };

const HEAD =
  'apiVersion: switchyard.dev/v1\nkind: Blueprint\nmetadata: { name: t, version: 1.0.0, title: T }\n';
const BOX = 'size: { cpu: 1, memoryMiB: 512 }, image: { os: ubuntu, version: "22.04" }';
const PARAMS =
  'parameters:\n  n: { type: integer, default: 2, minimum: 1, maximum: 5 }\n' +
  '  word: { type: string, default: w }\n  pw: { type: secret }\n  net: { type: cidr, default: 10.0.0.0/8 }\n';
// Two tiers a and b, with `extraA` added to a's flow map.
const two = (extraA = '', extraB = '', rest = ''): string =>
  `${HEAD}${PARAMS}tiers:\n  a: { ${BOX}${extraA} }\n  b: { ${BOX}${extraB} }\n${rest}`;
const conn = (c: string): string => two('', '', `connections:\n  - ${c}\n`);
const bench = (b: string): string => two('', '', `benchmark: ${b}\n`);

const fixtures: [string, string, string[]][] = [
  ['env names an undeclared parameter', two(', env: { X: "${params.nope}" }'), ['tiers.a.env.X']],
  ['env names an unknown tier', two(', env: { X: "${tiers.c.address}" }'), ['tiers.a.env.X']],
  ['env holds a malformed reference', two(', env: { X: "${tiers.b}" }'), ['tiers.a.env.X']],
  [
    'init.script names an undeclared parameter twice',
    two(', init: { script: "echo ${params.x} ${params.y}" }'),
    ['tiers.a.init.script', 'tiers.a.init.script'],
  ],
  ['dependsOn an unknown tier', two(', dependsOn: [c]'), ['tiers.a.dependsOn.0']],
  ['dependsOn repeated', two(', dependsOn: [b, b]'), ['tiers.a.dependsOn.1']],
  ['two-tier cycle', two(', dependsOn: [b]', ', dependsOn: [a]'), ['tiers.a.dependsOn.0']],
  ['self-dependency', two(', dependsOn: [a]'), ['tiers.a.dependsOn.0']],
  ['count outside scale', two(', count: 5, scale: { min: 1, max: 3 }'), ['tiers.a.count']],
  ['scale min above max', two(', scale: { min: 4, max: 3 }'), ['tiers.a.scale.min']],
  ['count names an undeclared parameter', two(', count: "${params.m}"'), ['tiers.a.count']],
  ['count names a string parameter', two(', count: "${params.word}"'), ['tiers.a.count']],
  [
    'count parameter default and maximum outside scale',
    two(', count: "${params.n}", scale: { min: 1, max: 1 }'),
    ['tiers.a.count', 'tiers.a.count'],
  ],
  [
    'connection from an unknown tier',
    conn('{ from: ghost, to: a, ports: [80/tcp] }'),
    ['connections.0.from'],
  ],
  ['connection to internet', conn('{ from: a, to: internet }'), ['connections.0.to']],
  ['connection to an unknown tier', conn('{ from: a, to: c }'), ['connections.0.to']],
  ['connection from a CIDR with a bad prefix', conn('{ from: 10.0.0.0/40, to: a }'), ['connections.0.from']],
  ['connection from a bad IPv4 address', conn('{ from: 10.0.300.0/24, to: a }'), ['connections.0.from']],
  ['connection from IPv6 with host bits', conn('{ from: "fd00::1/64", to: a }'), ['connections.0.from']],
  ['connection from a non-cidr parameter', conn('{ from: "${params.word}", to: a }'), ['connections.0.from']],
  [
    'connection from an undeclared parameter',
    conn('{ from: "${params.cidr}", to: a }'),
    ['connections.0.from'],
  ],
  [
    'connection without to, with a typo',
    conn('{ from: a, port: [80/tcp] }'),
    ['connections.0.to', 'connections.0.port'],
  ],
  ['connection port without protocol', conn('{ from: a, to: b, ports: ["22"] }'), ['connections.0.ports.0']],
  [
    'benchmark target unknown',
    bench('{ target: c, http: { path: /, requests: 10, concurrency: 1 } }'),
    ['benchmark.target'],
  ],
  [
    'benchmark concurrency above requests',
    bench('{ target: a, http: { path: /, requests: 10, concurrency: 20 } }'),
    ['benchmark.http.concurrency'],
  ],
  [
    'benchmark path relative',
    bench('{ target: a, http: { path: x, requests: 1, concurrency: 1 } }'),
    ['benchmark.http.path'],
  ],
  ['output reveals a secret', two('', '', 'outputs:\n  pw: "${params.pw}"\n'), ['outputs.pw']],
  [
    'output names an unknown tier',
    two('', '', 'outputs:\n  url: "http://${tiers.c.address}/"\n'),
    ['outputs.url'],
  ],
  ['uses an unknown Service', `${HEAD}tiers:\n  db: { uses: mongo@^6 }\n`, ['tiers.db.uses']],
  [
    'uses a range with no published version',
    `${HEAD}tiers:\n  db: { uses: postgres@^16 }\n`,
    ['tiers.db.uses'],
  ],
  ['uses a malformed range', `${HEAD}tiers:\n  db: { uses: "postgres@^^15" }\n`, ['tiers.db.uses']],
  ['uses a Blueprint', `${HEAD}tiers:\n  db: { uses: shop }\n`, ['tiers.db.uses']],
  [
    'uses a Service needing an undeclared parameter',
    `${HEAD}tiers:\n  db: { uses: leaky }\n`,
    ['tiers.db.uses'],
  ],
  [
    'Service with two tiers',
    `${HEAD.replace('Blueprint', 'Service')}tiers:\n  a: { ${BOX} }\n  b: { ${BOX} }\n`,
    ['tiers'],
  ],
  [
    'Service using a Service',
    `${HEAD.replace('Blueprint', 'Service')}tiers:\n  a: { uses: postgres }\n`,
    ['tiers.a.uses'],
  ],
];

describe('validator: references, graph, counts, connections, uses', () => {
  it.each(fixtures)('%s', (_name, text, paths) => {
    const result = loadBlueprint(text, 'yaml', ctx);
    expect(result.ok).toBe(false);
    const reported = result.ok ? [] : result.problems.map((p) => p.path);
    expect(reported.sort()).toEqual([...paths].sort());
  });

  it('accepts the base fixtures', () => {
    expect(loadBlueprint(two(), 'yaml', ctx).ok).toBe(true);
    expect(loadBlueprint(conn('{ from: "${params.net}", to: a, ports: [22/tcp] }'), 'yaml', ctx).ok).toBe(
      true,
    );
    expect(loadBlueprint(conn('{ from: "fd00::/8", to: a }'), 'yaml', ctx).ok).toBe(true);
  });

  it('names the cycle', () => {
    const line = `  a: { ${BOX}, dependsOn: [b] }`;
    const text = `${HEAD}${PARAMS}tiers:\n${line}\n  b: { ${BOX}, dependsOn: [c] }\n  c: { ${BOX}, dependsOn: [a] }\n`;
    const result = loadBlueprint(text, 'yaml', ctx);
    expect(result.ok ? [] : result.problems).toEqual([
      {
        path: 'tiers.a.dependsOn.0',
        message: 'dependency cycle: a -> b -> c -> a',
        line: 10,
        column: line.indexOf('[b]') + 2,
      },
    ]);
  });

  it('leaves shell variables in scripts alone', () => {
    const text = two(', init: { script: "echo ${HOME} $PATH ${params.word}" }');
    expect(loadBlueprint(text, 'yaml', ctx).ok).toBe(true);
  });

  it('expands a tier that uses a Service: inherits, overrides, and rebinds its own address', () => {
    const text = `${HEAD}${PARAMS}tiers:\n  db:\n    uses: postgres@^15\n    size: { diskGiB: 200 }\n    env: { PGUSER: shop, PGPASSWORD: "\${params.pw}" }\n`;
    const result = loadBlueprint(text, 'yaml', ctx);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.expanded.tiers.db).toEqual({
      name: 'db',
      uses: { name: 'postgres', version: '15.6.0' },
      size: { cpu: 2, memoryMiB: 4096, diskGiB: 200 },
      image: { os: 'ubuntu', version: '22.04' },
      count: 1,
      dependsOn: [],
      ports: ['5432/tcp'],
      init: { packages: ['postgresql'], script: 'echo ${tiers.db.address} > /etc/self; echo ${HOME}' },
      env: { PGUSER: 'shop', PGDATABASE: 'app', PGPASSWORD: '${params.pw}' },
    });
  });

  it('accepts a documents object directly and returns it typed', () => {
    const doc = {
      apiVersion: 'switchyard.dev/v1',
      kind: 'Blueprint',
      metadata: { name: 'x', version: '1.0.0', title: 'X' },
      tiers: {
        a: {
          size: { cpu: 1, memoryMiB: 512 },
          image: { os: 'ubuntu', version: '22.04' },
          scale: { min: 2, max: 4 },
        },
      },
    };
    const result = checkBlueprint(doc, ctx);
    expect(result.ok && result.expanded.tiers.a?.count).toBe(2);
  });
});

describe('validator: an invalid tier body still counts as a tier', () => {
  it('reports the body, not every reference to it', () => {
    const text = `${HEAD}tiers:\n  a: { ${BOX}, dependsOn: [b] }\n  b: 5\n`;
    const result = loadBlueprint(text, 'yaml', ctx);
    expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual(['tiers.b']);
  });
});
