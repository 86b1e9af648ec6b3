import { MAX_BLUEPRINT_BYTES, parseBlueprint } from './parse-blueprint.util.js';
import { findJsonSyntaxError } from './json-syntax.util.js';
import { locateProblems } from './source-map.util.js';

const problemsOf = (result: ReturnType<typeof parseBlueprint>): unknown[] =>
  result.ok ? [] : result.problems;

describe('parseBlueprint', () => {
  it('parses YAML and maps paths to line:column', () => {
    const result = parseBlueprint('kind: Blueprint\ntiers:\n  app:\n    ports: [80/tcp, 443/tcp]\n', 'yaml');
    if (!result.ok) throw new Error('expected ok');
    expect(result.blueprint).toEqual({ kind: 'Blueprint', tiers: { app: { ports: ['80/tcp', '443/tcp'] } } });
    expect(result.sourceMap.get('tiers.app')).toEqual({ line: 3, column: 3 });
    expect(result.sourceMap.get('tiers.app.ports.1')).toEqual({ line: 4, column: 21 });
  });

  it('reports a YAML syntax error with its line and column', () => {
    expect(problemsOf(parseBlueprint('kind: Blueprint\ntiers: [a, b\nmetadata: {}\n', 'yaml'))).toEqual([
      expect.objectContaining({ path: '', line: 3, column: 1 }),
    ]);
  });

  it('names a duplicate key by its path', () => {
    const text = 'tiers:\n  app:\n    count: 1\n    count: 2\n';
    expect(problemsOf(parseBlueprint(text, 'yaml'))).toEqual([
      { path: 'tiers.app.count', message: 'duplicate key "count"', line: 4, column: 5 },
    ]);
  });

  it('refuses a billion-laughs alias bomb quickly', () => {
    const rows = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [prev, name] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['e', 'f'],
      ['f', 'g'],
      ['g', 'h'],
    ]) {
      rows.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    const started = Date.now();
    const problems = problemsOf(parseBlueprint(rows.join('\n'), 'yaml'));
    expect(problems).toEqual([
      expect.objectContaining({ path: '', message: expect.stringMatching(/alias/) }),
    ]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('still accepts a few aliases', () => {
    const result = parseBlueprint(
      'base: &env { A: "1" }\ntiers:\n  a: { env: *env }\n  b: { env: *env }\n',
      'yaml',
    );
    expect(result.ok && result.blueprint['tiers']).toEqual({
      a: { env: { A: '1' } },
      b: { env: { A: '1' } },
    });
  });

  it('refuses text over the size limit before parsing it', () => {
    const huge = `a: "${'x'.repeat(10 * 1024 * 1024)}"`;
    const started = Date.now();
    expect(problemsOf(parseBlueprint(huge, 'yaml'))).toEqual([
      { path: '', message: `blueprint is larger than the limit of ${MAX_BLUEPRINT_BYTES} bytes` },
    ]);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('counts the limit in UTF-8 bytes', () => {
    // 200,000 three-byte characters: under the limit in characters, over it in bytes.
    const text = `a: "${'€'.repeat(200_000)}"`;
    expect(text.length).toBeLessThan(MAX_BLUEPRINT_BYTES);
    expect(parseBlueprint(text, 'yaml').ok).toBe(false);
    expect(parseBlueprint(`a: "${'€'.repeat(100_000)}"`, 'yaml').ok).toBe(true);
  });

  it.each([
    ['a list', '- a\n- b\n'],
    ['a scalar', 'hello\n'],
    ['empty', ''],
  ])('refuses a top level that is %s', (_name, text) => {
    expect(problemsOf(parseBlueprint(text, 'yaml'))).toEqual([expect.objectContaining({ path: '' })]);
  });

  it('refuses several documents in one text', () => {
    expect(parseBlueprint('a: 1\n---\nb: 2\n', 'yaml').ok).toBe(false);
  });

  it('refuses unknown tags rather than guessing', () => {
    const problems = problemsOf(parseBlueprint('a: !!js/function "x"\n', 'yaml'));
    expect(problems).toEqual([expect.objectContaining({ line: 1, column: 4 })]);
  });

  it('refuses hostile nesting', () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    expect(parseBlueprint(`a: ${deep}`, 'yaml').ok).toBe(false);
    expect(parseBlueprint(`{"a": ${deep}}`, 'json').ok).toBe(false);
  });

  it('parses JSON, maps its paths and ignores a byte order mark', () => {
    const result = parseBlueprint('\uFEFF{\n  "tiers": {\n    "app": {"count": 2}\n  }\n}', 'json');
    if (!result.ok) throw new Error('expected ok');
    expect(result.blueprint).toEqual({ tiers: { app: { count: 2 } } });
    expect(result.sourceMap.get('tiers.app.count')).toEqual({ line: 3, column: 13 });
  });

  it('reports a JSON syntax error with line and column', () => {
    expect(problemsOf(parseBlueprint('{\n  "a": 1,\n  "b": }', 'json'))).toEqual([
      { path: '', message: 'JSON syntax error: unexpected "}", expected a value', line: 3, column: 8 },
    ]);
  });

  it('refuses duplicate keys in JSON too (JSON.parse would keep the last)', () => {
    expect(problemsOf(parseBlueprint('{"tiers": {"a": {}, "a": {}}}', 'json'))).toEqual([
      expect.objectContaining({ path: 'tiers.a', line: 1, column: 21 }),
    ]);
  });
});

describe('findJsonSyntaxError', () => {
  it.each([
    ['{"a": 1,}', 8, 'expected a property name in double quotes'],
    ['{"a" 1}', 5, "expected ':'"],
    ['[1 2]', 3, "expected ',' or ']'"],
    ['{"a": "x\ny"}', 8, 'control character'],
    ['{"a": "\\q"}', 7, 'invalid escape'],
    ['{"a": tru}', 6, 'expected a value'],
    ['{"a": 01}', 7, "expected ',' or '}'"],
    ['{} {}', 3, 'unexpected text after'],
    ['{"a": "open', 6, 'string is not closed'],
    ['[', 1, 'unexpected end of input'],
  ])('locates the error in %j', (text, offset, message) => {
    const error = findJsonSyntaxError(text);
    expect(error?.offset).toBe(offset);
    expect(error?.message).toContain(message);
  });

  it('accepts valid JSON', () => {
    expect(findJsonSyntaxError('{"a": [1, -2.5e3, true, false, null, "\\u00e9\\n"]}')).toBeUndefined();
  });
});

describe('locateProblems', () => {
  it('uses the nearest enclosing path that has a position', () => {
    const map = new Map([
      ['', { line: 1, column: 1 }],
      ['tiers.a', { line: 3, column: 3 }],
    ]);
    expect(
      locateProblems(
        [
          { path: 'tiers.a.size.cpu', message: 'm' },
          { path: 'x', message: 'n' },
        ],
        map,
      ),
    ).toEqual([
      { path: 'tiers.a.size.cpu', message: 'm', line: 3, column: 3 },
      { path: 'x', message: 'n', line: 1, column: 1 },
    ]);
  });
});
