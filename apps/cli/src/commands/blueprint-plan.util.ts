import type { ParameterSpec } from '@switchyard/blueprints';
import { UsageError } from '../core/flags.js';

/**
 * `-p k=v` pairs. The flag parser splits list values at commas; a piece without `=` belongs to
 * the value before it (`-p tags=a,b` is one value "a,b").
 */
export function parsePairs(pieces: string[], flag: string): Map<string, string> {
  const pairs: [string, string][] = [];
  for (const piece of pieces) {
    const eq = piece.indexOf('=');
    const last = pairs[pairs.length - 1];
    if (eq <= 0) {
      if (!last) throw new UsageError(`${flag} takes KEY=VALUE, not "${piece}"`);
      last[1] += `,${piece}`;
      continue;
    }
    pairs.push([piece.slice(0, eq), piece.slice(eq + 1)]);
  }
  return new Map(pairs);
}

/** Command-line text to the type the blueprint declares, so `-p appCount=3` sends the number 3. */
export function typedParameters(
  pairs: Map<string, string>,
  declared: Record<string, ParameterSpec>,
): Record<string, string | number | boolean> {
  const values: Record<string, string | number | boolean> = {};
  for (const [name, text] of pairs) {
    const type = Object.hasOwn(declared, name) ? declared[name]?.type : undefined;
    if ((type === 'integer' || type === 'number') && text.trim() !== '' && Number.isFinite(Number(text))) {
      values[name] = Number(text);
    } else if (type === 'boolean' && (text === 'true' || text === 'false')) {
      values[name] = text === 'true';
    } else {
      // Anything else goes as text; the server names what does not fit.
      values[name] = text;
    }
  }
  return values;
}

/** `NAME`, `NAME@RANGE` or `NAME VERSION` to a name and a version reference (default latest). */
export function nameAndVersion(args: string[]): { name: string; version: string } {
  const [first, second] = args;
  if (!first) throw new UsageError('a blueprint name is required');
  const at = first.indexOf('@');
  if (at > 0) return { name: first.slice(0, at), version: first.slice(at + 1) || 'latest' };
  return { name: first, version: second ?? 'latest' };
}
