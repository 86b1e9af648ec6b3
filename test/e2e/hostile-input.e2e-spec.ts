import fc from 'fast-check';
import { Client, type Reply } from '../support/http.js';
import { stackEnv, startApi, type Proc } from '../support/processes.js';
import { testEnv } from '../support/test-env.js';

// Every operation of the live OpenAPI document, attacked with what an attacker sends: malformed
// JSON, wrong types, missing and unknown fields, huge and deep values, NUL and unpaired
// surrogates, prototype keys, forged cursors and ids, bad auth headers. No answer may be a 5xx,
// every 4xx has the documented error body (with paths on 400s), no body shows a stack or SQL,
// and each answers within PER_REQUEST_MS. Values come from fast-check with a fixed seed.
const SEED = 20_261_105;
const PER_REQUEST_MS = 5_000;
const ADMIN = testEnv().SWITCHYARD_ADMIN_TOKEN;

interface Operation {
  method: string;
  path: string;
  params: { in: string; name: string; schema?: Schema }[];
  bodySchema?: Schema;
  mediaTypes: string[];
}
interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  $ref?: string;
  items?: Schema;
  allOf?: Schema[];
}
interface Attempt {
  op: Operation;
  what: string;
  url: string;
  body?: string;
  headers: Record<string, string>;
}

const b64 = (text: string) => Buffer.from(text).toString('base64url');
const FORGED_CURSORS = [
  b64('2024-01-01T00:00:00.000Z|not-a-uuid'),
  b64('+275760-09-13T00:00:00.000Z|00000000-0000-0000-0000-000000000000'),
  b64('9999-12-31T23:59:59.999Z|-1'),
  b64('garbage|garbage|garbage'),
  '____',
  '%00',
];
// raw path segments (already percent-encoded): NUL, an encoded lone surrogate, bad escapes,
// prototype names, a forged id, a long one
const PATH_VALUES = [
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%E0%A4%A',
  '%zz',
  '__proto__',
  'constructor',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '1e400',
  '-1',
  '99999999999999999999999',
  'x'.repeat(5000),
];
const QUERY_VALUES = ['%00', '%ED%A0%80', '', '-1', '1e400', 'true', '__proto__', 'x'.repeat(3000)];

// Strings and values that break code that trusts its input.
const hostileString = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfffy',
    '\ud83d',
    '%zz',
    "'; DROP TABLE x; --",
    '__proto__',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constant('x'.repeat(100_000)),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(null, true, false, 0, -1, 1e308, -1e308, 1.5, 2 ** 53, [], {}, [null], { __proto__: 1 }),
  fc.array(fc.oneof(fc.integer(), fc.string()), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.integer(), hostileString), { maxKeys: 4 }),
);

function nested(depth: number, leaf: string): string {
  return '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
}

function wide(keys: number): string {
  const parts: string[] = [];
  for (let i = 0; i < keys; i++) parts.push(`"k${i}":${i}`);
  return `{${parts.join(',')}}`;
}

/** The document's operations, with body schemas resolved one level ($ref and allOf). */
function operations(doc: any): Operation[] {
  const resolve = (s: Schema | undefined): Schema | undefined => {
    if (!s) return undefined;
    if (s.$ref) return resolve(doc.components.schemas[s.$ref.split('/').pop()!]);
    if (s.allOf)
      return { properties: Object.assign({}, ...s.allOf.map((p) => resolve(p)?.properties ?? {})) };
    return s;
  };
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      const content = op.requestBody?.content ?? {};
      const mediaTypes = Object.keys(content);
      ops.push({
        method: method.toUpperCase(),
        path,
        params: (op.parameters ?? []).map((p: any) => ({ in: p.in, name: p.name, schema: p.schema })),
        bodySchema: resolve(content['application/json']?.schema),
        mediaTypes,
      });
    }
  }
  return ops;
}

function attempts(op: Operation, sample: <T>(arb: fc.Arbitrary<T>, n: number) => T[]): Attempt[] {
  const out: Attempt[] = [];
  const auth = { authorization: `Bearer ${ADMIN}` };
  const fill = (value: (name: string) => string) =>
    op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => value(name));
  const plainUrl = fill((name) => (name === 'id' ? '00000000-0000-4000-8000-000000000000' : 'default'));
  // signing out revokes the token used: only ever with tokens that are not the admin's
  const admin = op.path === '/api/v1/sessions/current' ? { authorization: 'Bearer syd_nothing' } : auth;
  const add = (what: string, url: string, body?: string, headers: Record<string, string> = {}) =>
    out.push({ op, what, url, body, headers: { ...admin, ...headers } });

  // path parameters, one hostile value at a time in each place
  if (op.path.includes('{'))
    for (const v of PATH_VALUES)
      add(
        `path ${v.slice(0, 20)}`,
        fill(() => v),
      );
  // query parameters: each documented one with hostile values, forged cursors, repeated ones
  for (const p of op.params.filter((p) => p.in === 'query')) {
    const values = p.name === 'cursor' ? [...FORGED_CURSORS, ...QUERY_VALUES] : QUERY_VALUES;
    for (const v of values) add(`query ${p.name}=${v.slice(0, 20)}`, `${plainUrl}?${p.name}=${v}`);
    add(`query ${p.name} twice`, `${plainUrl}?${p.name}=1&${p.name}=2`);
  }
  add('unknown query', `${plainUrl}?__proto__=1&constructor=x&zz=%00`);
  // auth headers
  for (const header of [
    'Basic ' + Buffer.from('%zz:').toString('base64'),
    'Basic ' + Buffer.from('%E0%A4%A').toString('base64'),
    'Basic ' + Buffer.from('\u0000:\u0000').toString('base64'),
    'Basic !!!',
    'Bearer',
    'Bearer ' + 'x'.repeat(8000),
    'Bearer syd_' + 'A'.repeat(43),
    'Digest x',
  ])
    out.push({ op, what: `auth ${header.slice(0, 20)}`, url: plainUrl, headers: { authorization: header } });

  if (op.method === 'GET' || op.method === 'DELETE') return out;
  const json = { 'content-type': 'application/json' };
  // malformed and non-JSON bodies
  for (const body of ['{"a":', '{', 'nul', '"\\ud800"', '[1,]', '\u0000', '{"a":1}garbage'])
    add(`malformed ${JSON.stringify(body)}`, plainUrl, body, json);
  add('empty json', plainUrl, '', json);
  add('text/plain', plainUrl, '{"a":1}', { 'content-type': 'text/plain' });
  add('no content-type', plainUrl, '{"a":1}', { 'content-type': '' });
  add('utf-16 charset', plainUrl, '{"a":1}', { 'content-type': 'application/json; charset=utf-16le' });
  add('bad charset', plainUrl, '{"a":1}', { 'content-type': 'application/json; charset=utf-42' });
  // wrong top-level types
  for (const body of ['null', '1', '"x"', '[]', '[{}]', 'true'])
    add(`top-level ${body}`, plainUrl, body, json);
  // prototype keys and unknown fields
  add('prototype keys', plainUrl, '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}', json);
  add('unknown field', plainUrl, '{"surely-unknown":1}', json);
  // huge and deep
  add('deep 33', plainUrl, nested(33, '1'), json);
  add('deep 100000', plainUrl, nested(100_000, '1'), json);
  add('deep arrays', plainUrl, '['.repeat(200_000) + ']'.repeat(200_000), json);
  add('wide 20001', plainUrl, wide(20_001), json);
  add('wide 19990', plainUrl, wide(19_990), json);
  add('long array', plainUrl, `{"a":[${Array(19_990).fill(0).join(',')}]}`, json);
  // YAML where the operation takes it
  if (op.mediaTypes.some((t) => t.includes('yaml'))) {
    const yaml = { 'content-type': 'application/yaml' };
    add('yaml deep', plainUrl, '['.repeat(100_000), yaml);
    add('yaml NUL', plainUrl, 'kind: Blueprint\nmetadata: {name: "a\\0"}\n', yaml);
    add(
      'yaml anchors',
      plainUrl,
      'a: &a [1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b]\n',
      yaml,
    );
  }
  // each documented field replaced by hostile values; each dropped; all of them null
  const fields = Object.keys(op.bodySchema?.properties ?? {});
  const valid = Object.fromEntries(fields.map((f) => [f, 'x']));
  for (const field of fields) {
    for (const v of sample(hostileValue, 6))
      add(`field ${field}`, plainUrl, JSON.stringify({ ...valid, [field]: v }), json);
    const { [field]: _dropped, ...rest } = valid;
    add(`missing ${field}`, plainUrl, JSON.stringify(rest), json);
  }
  if (fields.length)
    add('all null', plainUrl, JSON.stringify(Object.fromEntries(fields.map((f) => [f, null]))), json);
  for (const v of sample(hostileValue, 4)) add('random body', plainUrl, JSON.stringify(v), json);
  return out;
}

const SQL_OR_STACK = [
  /\n\s+at /,
  /node_modules/,
  /QueryFailedError/,
  /\bSELECT\b.+\bFROM\b/,
  /\bINSERT INTO\b/,
  /\bUPDATE\b.+\bSET\b/,
  /syntax error at or near/,
  /violates .* constraint/,
  /invalid input syntax/,
  /\bTypeError\b|\bRangeError\b|\bReferenceError\b/,
];

/** What is wrong with one answer, or undefined. */
function problemOf(res: Reply, ms: number): string | undefined {
  if (res.status >= 500) return `status ${res.status}: ${res.text.slice(0, 300)}`;
  if (ms > PER_REQUEST_MS) return `took ${ms} ms`;
  for (const pattern of SQL_OR_STACK)
    if (pattern.test(res.text)) return `body shows ${pattern}: ${res.text.slice(0, 300)}`;
  if (res.status < 400) return undefined;
  const b = res.body;
  if (typeof b !== 'object' || b === null) return `4xx body is not JSON: ${res.text.slice(0, 200)}`;
  const shaped =
    b.statusCode === res.status &&
    typeof b.error === 'string' &&
    typeof b.message === 'string' &&
    Array.isArray(b.details) &&
    b.details.every((d: any) => typeof d?.path === 'string' && typeof d?.message === 'string');
  if (!shaped) return `not the error shape: ${res.text.slice(0, 300)}`;
  if (res.status === 400 && b.details.length === 0) return `400 without details: ${res.text.slice(0, 300)}`;
  return undefined;
}

describe('hostile input against every operation of /api/openapi.json', () => {
  let api: Proc & { url: string };
  let client: Client;

  beforeAll(async () => {
    api = await startApi(await stackEnv());
    client = new Client(api.url);
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
  });

  it('answers no 5xx, the documented error body, no stack or SQL, each within the bound', async () => {
    const doc = (await client.get('/api/openapi.json')).body;
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThan(40);
    expect(ops.some((o) => o.path.startsWith('/netmaster/'))).toBe(true);
    let seed = SEED;
    const sample = <T>(arb: fc.Arbitrary<T>, n: number) => fc.sample(arb, { seed: seed++, numRuns: n });
    const all = ops.flatMap((op) => attempts(op, sample));
    const problems: string[] = [];
    let health = 0;
    for (const [i, a] of all.entries()) {
      const started = Date.now();
      const res = await fetch(api.url + a.url, {
        method: a.op.method,
        headers: a.headers,
        body: a.body,
        signal: AbortSignal.timeout(PER_REQUEST_MS * 2),
      }).then(
        async (r) => {
          const text = await r.text();
          let body: any = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON: problemOf says so for a 4xx
          }
          return { status: r.status, headers: r.headers, text, body } satisfies Reply;
        },
        (err: Error) => ({ status: 599, headers: new Headers(), text: String(err), body: undefined }),
      );
      const problem = problemOf(res, Date.now() - started);
      if (problem) problems.push(`${a.op.method} ${a.op.path} [${a.what}]: ${problem}`);
      // liveness answers between hostile requests
      if (i % 50 === 0) health += (await client.get('/health/live')).status === 200 ? 0 : 1;
    }
    console.log(`hostile-input: ${all.length} requests over ${ops.length} operations`);
    expect(health).toBe(0);
    expect(problems.slice(0, 40)).toEqual([]);
    expect(all.length).toBeGreaterThan(2_000);
  }, 240_000);
});
