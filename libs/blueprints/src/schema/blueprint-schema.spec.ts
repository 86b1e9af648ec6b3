import { BLUEPRINT_JSON_SCHEMA } from './blueprint.schema.js';
import { KNOWN_SCHEMA_KEYWORDS, type JsonSchema } from './json-schema.types.js';
import { checkAgainstSchema } from './schema-check.util.js';

// Every sub-schema with its location, to check the schema as data.
function walk(schema: JsonSchema, at: string, out: [string, JsonSchema][] = []): [string, JsonSchema][] {
  out.push([at, schema]);
  const maps = ['properties', '$defs'] as const;
  for (const key of maps)
    for (const [name, sub] of Object.entries(schema[key] ?? {})) walk(sub, `${at}/${key}/${name}`, out);
  for (const key of ['items', 'propertyNames', 'if', 'then', 'else'] as const) {
    const sub = schema[key];
    if (sub) walk(sub, `${at}/${key}`, out);
  }
  if (typeof schema.additionalProperties === 'object')
    walk(schema.additionalProperties, `${at}/additionalProperties`, out);
  (schema.anyOf ?? []).forEach((sub, i) => walk(sub, `${at}/anyOf/${i}`, out));
  return out;
}

describe('BLUEPRINT_JSON_SCHEMA', () => {
  const all = walk(BLUEPRINT_JSON_SCHEMA, '#');

  it('is draft 2020-12 and uses only keywords the validator interprets', () => {
    expect(BLUEPRINT_JSON_SCHEMA.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const unknown = all.flatMap(([at, s]) =>
      Object.keys(s)
        .filter((k) => !KNOWN_SCHEMA_KEYWORDS.includes(k))
        .map((k) => `${at}:${k}`),
    );
    expect(unknown).toEqual([]);
  });

  it('has only resolvable $refs and compilable patterns', () => {
    for (const [at, s] of all) {
      if (s.$ref)
        expect([at, BLUEPRINT_JSON_SCHEMA.$defs?.[s.$ref.replace('#/$defs/', '')]]).toEqual([
          at,
          expect.any(Object),
        ]);
      if (s.pattern) expect(() => new RegExp(s.pattern ?? '', 'u')).not.toThrow();
    }
  });

  it('closes every object, so unknown fields are refused as the validator does', () => {
    const open = all
      .filter(([, s]) => s.type === 'object' && s.additionalProperties === undefined)
      .map(([at]) => at);
    expect(open).toEqual([]);
  });

  it('states the key limits of the format', () => {
    const defs = BLUEPRINT_JSON_SCHEMA.$defs ?? {};
    const size = defs['tier']?.properties?.['size']?.properties ?? {};
    expect([size['cpu']?.minimum, size['cpu']?.maximum]).toEqual([1, 256]);
    expect([size['memoryMiB']?.minimum, size['memoryMiB']?.maximum]).toEqual([256, 4194304]);
    expect([size['diskGiB']?.minimum, size['diskGiB']?.maximum]).toEqual([1, 65536]);
    expect(BLUEPRINT_JSON_SCHEMA.required).toEqual(['apiVersion', 'kind', 'metadata', 'tiers']);
    expect(defs['parameter']?.properties?.['type']?.enum).toEqual([
      'string',
      'integer',
      'number',
      'boolean',
      'enum',
      'secret',
      'cidr',
    ]);
  });
});

describe('checkAgainstSchema', () => {
  const schema: JsonSchema = {
    type: 'object',
    additionalProperties: false,
    required: ['n'],
    properties: {
      n: {
        anyOf: [
          { type: 'integer', minimum: 1, title: 'a positive integer' },
          { type: 'string', pattern: '^x$', title: 'x' },
        ],
      },
      list: { type: 'array', items: { type: 'string' }, maxItems: 2 },
    },
  };

  it('prunes invalid parts and keeps the valid ones', () => {
    const result = checkAgainstSchema({ n: 0, list: ['a', 3], extra: true }, schema);
    expect(result.problems).toEqual([
      { path: 'n', message: 'must be at least 1' },
      { path: 'list.1', message: 'must be a string, not the number 3 (put it in quotes)' },
      { path: 'extra', message: 'unknown field "extra" (expected one of: n, list)' },
    ]);
    expect(result.pruned).toEqual({ list: ['a', undefined] });
  });

  it('names every alternative when no branch has the right type', () => {
    expect(checkAgainstSchema({ n: true }, schema).problems).toEqual([
      { path: 'n', message: 'must be a positive integer or x' },
    ]);
  });

  it('does not walk an over-long list', () => {
    expect(checkAgainstSchema({ n: 1, list: ['a', 'b', 'c'] }, schema).problems).toEqual([
      { path: 'list', message: 'must have at most 2 items' },
    ]);
  });

  it('keeps a __proto__ key as plain data', () => {
    const value = JSON.parse('{"__proto__": {"polluted": 1}}') as unknown;
    const result = checkAgainstSchema(value, { type: 'object', additionalProperties: { type: 'object' } });
    expect(Object.keys(result.pruned as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
