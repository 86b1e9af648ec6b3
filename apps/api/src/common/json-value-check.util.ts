import type { JsonLimits, JsonShapeProblem } from './json-limits.js';

// A surrogate code unit that is not half of a pair: with the u flag, pairs are one code point.
const UNPAIRED_SURROGATE = /\p{Cs}/u;
const MAX_PATH_CHARS = 300;

/** Why a string cannot be taken (Postgres refuses NUL; a lone surrogate is not Unicode). */
export function textProblem(text: string): string | undefined {
  if (text.includes('\0')) return 'must not contain NUL characters (\\u0000)';
  if (UNPAIRED_SURROGATE.test(text)) return 'must be valid Unicode text (it holds an unpaired surrogate)';
  return undefined;
}

interface Frame {
  value: unknown;
  depth: number;
  parent: Frame | undefined;
  key: string | undefined;
}

/**
 * One iterative walk over a parsed request value (body, query or a path parameter), before any
 * transformation: depth and member count within the limits, and every key and string free of NUL
 * and unpaired surrogates. Linear in the size of the value, stopping at the first problem, whose
 * path it names (`rootPath` prefixes it: a path parameter's name, or '' for a body).
 */
export function jsonValueCheck(
  value: unknown,
  limits: JsonLimits,
  rootPath = '',
): JsonShapeProblem | undefined {
  const stack: Frame[] = [{ value, depth: 0, parent: undefined, key: undefined }];
  let members = 0;
  for (let frame = stack.pop(); frame; frame = stack.pop()) {
    const v = frame.value;
    if (typeof v === 'string') {
      const message = textProblem(v);
      if (message) return { kind: 'text', path: pathOf(frame, rootPath), message };
      continue;
    }
    if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v) || v instanceof ArrayBuffer) continue;
    if (frame.depth >= limits.maxDepth) return { kind: 'depth', path: pathOf(frame, rootPath) };
    if (Array.isArray(v)) {
      members += v.length;
      if (members > limits.maxMembers) return { kind: 'members' };
      for (let i = v.length - 1; i >= 0; i--)
        stack.push({ value: v[i], depth: frame.depth + 1, parent: frame, key: String(i) });
      continue;
    }
    const keys = Object.keys(v);
    members += keys.length;
    if (members > limits.maxMembers) return { kind: 'members' };
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      const child: Frame = {
        value: (v as Record<string, unknown>)[key],
        depth: frame.depth + 1,
        parent: frame,
        key,
      };
      const message = textProblem(key);
      if (message) return { kind: 'text', path: pathOf(child, rootPath), message: `(a key) ${message}` };
      stack.push(child);
    }
  }
  return undefined;
}

function pathOf(frame: Frame, rootPath: string): string {
  const keys: string[] = [];
  for (let f: Frame | undefined = frame; f?.key !== undefined; f = f.parent) keys.push(f.key);
  if (rootPath) keys.push(rootPath);
  const path = keys.reverse().join('.');
  return path.length > MAX_PATH_CHARS ? `${path.slice(0, MAX_PATH_CHARS)}…` : path;
}
