import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import type { Problem } from '../problem.types.js';
import { isRecord } from '../schema/schema-check.util.js';
import { findJsonSyntaxError } from './json-syntax.util.js';
import { indexDocument, offsetToPosition, type SourceMap } from './source-map.util.js';

/** Largest blueprint text accepted, in UTF-8 bytes; bigger text is refused before parsing. */
export const MAX_BLUEPRINT_BYTES = 512 * 1024;

// Aliases are legitimate for small reuse; a bomb needs thousands of expansions.
const MAX_ALIAS_COUNT = 100;
const MAX_DEPTH = 32;

export type BlueprintContentType = 'yaml' | 'json';

export type ParseResult =
  { ok: true; blueprint: Record<string, unknown>; sourceMap: SourceMap } | { ok: false; problems: Problem[] };

/** Parses YAML or JSON text safely (size, alias, depth and duplicate-key limits). `blueprint` is not yet validated. */
export function parseBlueprint(text: string, contentType: BlueprintContentType): ParseResult {
  // text.length counts UTF-16 units, never more than the UTF-8 bytes: a cheap first test.
  if (text.length > MAX_BLUEPRINT_BYTES || Buffer.byteLength(text, 'utf8') > MAX_BLUEPRINT_BYTES) {
    return fail({ path: '', message: `blueprint is larger than the limit of ${MAX_BLUEPRINT_BYTES} bytes` });
  }
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (contentType === 'json') {
    const syntax = jsonSyntaxProblem(source);
    if (syntax) return fail(syntax);
  }
  const lineCounter = new LineCounter();
  let doc;
  try {
    // yaml's own duplicate-key check compares each key with every earlier one of its map (20,000
    // keys took seconds); indexDocument finds duplicates with a Set instead
    doc = parseDocument(source, { uniqueKeys: false, lineCounter, prettyErrors: false, version: '1.2' });
  } catch (error) {
    if (error instanceof RangeError) return fail({ path: '', message: 'document is nested too deeply' });
    throw error;
  }
  const index = indexDocument(doc, lineCounter);
  const issues = [...doc.errors, ...doc.warnings];
  if (issues.length > 0 || index.duplicates.length > 0) {
    const duplicates = index.duplicates.map(({ path, offset }) => {
      const { line, col } = lineCounter.linePos(offset);
      return { path, message: `duplicate key "${path.split('.').pop() ?? ''}"`, line, column: col };
    });
    const problems = [
      ...issues.map((issue) => yamlProblem(issue, index.keyPaths, lineCounter)),
      ...duplicates,
    ];
    return {
      ok: false,
      problems: problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof ReferenceError || error instanceof RangeError) {
      return fail({
        path: '',
        message: `too many alias expansions or too deep (limit ${MAX_ALIAS_COUNT} aliases)`,
      });
    }
    throw error;
  }
  if (!isRecord(value)) {
    return fail({
      path: '',
      message: 'the document must be a map with apiVersion, kind, metadata and tiers',
    });
  }
  if (depthOf(value) > MAX_DEPTH)
    return fail({ path: '', message: `document is nested deeper than ${MAX_DEPTH}` });
  return { ok: true, blueprint: value, sourceMap: index.sourceMap };
}

function fail(problem: Problem): ParseResult {
  return { ok: false, problems: [problem] };
}

function jsonSyntaxProblem(text: string): Problem | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch {
    const error = findJsonSyntaxError(text) ?? { offset: 0, message: 'invalid JSON' };
    const { line, column } = offsetToPosition(text, error.offset);
    return { path: '', message: `JSON syntax error: ${error.message}`, line, column };
  }
}

function yamlProblem(
  issue: YAMLError,
  keyPaths: ReadonlyMap<number, string>,
  lineCounter: LineCounter,
): Problem {
  const { line, col } = lineCounter.linePos(issue.pos[0]);
  // yaml appends " at line x, column y" and a code frame; we carry those as fields.
  const message = (issue.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
  if (issue.code === 'DUPLICATE_KEY') {
    const path = keyPaths.get(issue.pos[0]) ?? '';
    return { path, message: `duplicate key "${path.split('.').pop() ?? ''}"`, line, column: col };
  }
  return { path: '', message: `YAML syntax error: ${message}`, line, column: col };
}

function depthOf(root: unknown): number {
  // Iterative: the point is to survive hostile nesting.
  let max = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (typeof value !== 'object' || value === null) continue;
    max = Math.max(max, depth);
    if (max > MAX_DEPTH) return max;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return max;
}
