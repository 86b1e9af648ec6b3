import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import { joinPath, type Problem } from '../problem.types.js';

export interface SourcePosition {
  line: number;
  column: number;
}

// Dot path (as in Problem.path) → where that value's key or item starts in the text.
export type SourceMap = ReadonlyMap<string, SourcePosition>;

export interface SourceIndex {
  sourceMap: SourceMap;
  // Offset of every map key (duplicates included) → its path, to name duplicate keys.
  keyPaths: ReadonlyMap<number, string>;
  /** Keys repeated within one map, by path and offset (found here, linearly: see parse-blueprint). */
  duplicates: readonly { path: string; offset: number }[];
}

// Deeper than any valid blueprint; stops a hostile nesting from exhausting the stack.
const MAX_WALK_DEPTH = 64;

export function indexDocument(doc: Document, lineCounter: LineCounter): SourceIndex {
  const sourceMap = new Map<string, SourcePosition>();
  const keyPaths = new Map<number, string>();
  const duplicates: { path: string; offset: number }[] = [];
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const walk = (node: unknown, path: string, depth: number): void => {
    if (depth > MAX_WALK_DEPTH || isAlias(node)) return;
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const childPath = joinPath(path, key);
        const range = isScalar(pair.key) ? pair.key.range : undefined;
        const identity = `${isScalar(pair.key) ? typeof pair.key.value : 'node'}:${key}`;
        if (seen.has(identity)) duplicates.push({ path: childPath, offset: range?.[0] ?? 0 });
        seen.add(identity);
        if (range) {
          keyPaths.set(range[0], childPath);
          if (!sourceMap.has(childPath)) sourceMap.set(childPath, at(range[0]));
        }
        walk(pair.value, childPath, depth + 1);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const childPath = joinPath(path, index);
        const range = isScalar(item) || isMap(item) || isSeq(item) || isAlias(item) ? item.range : undefined;
        if (range && !sourceMap.has(childPath)) sourceMap.set(childPath, at(range[0]));
        walk(item, childPath, depth + 1);
      });
    }
  };
  const root = doc.contents;
  if (root?.range) sourceMap.set('', at(root.range[0]));
  walk(root, '', 0);
  return { sourceMap, keyPaths, duplicates };
}

/**
 * Adds line:column to problems from the source map, using the nearest enclosing
 * path that has a position (a missing field points at its parent).
 */
export function locateProblems(problems: readonly Problem[], sourceMap: SourceMap): Problem[] {
  return problems.map((problem) => {
    if (problem.line !== undefined) return problem;
    let path = problem.path;
    for (;;) {
      const position = sourceMap.get(path);
      if (position) return { ...problem, line: position.line, column: position.column };
      if (path === '') return problem;
      const dot = path.lastIndexOf('.');
      path = dot < 0 ? '' : path.slice(0, dot);
    }
  });
}

export function offsetToPosition(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
