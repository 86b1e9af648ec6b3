/** A name or a pattern with `*` (any characters), as entitlements and approval rules list them. */
export const NAME_OR_PATTERN = /^[a-z0-9*]([a-z0-9*-]{0,62}[a-z0-9*])?$/;
export const NAME_OR_PATTERN_RULE =
  'must be a name (lowercase letters, digits, -) or a pattern with * for any characters, at most 64';

/** Whether `name` matches one of `patterns` (`*`: any characters, else exact). Linear in their length. */
export function matchesAny(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => globMatch(name, p));
}

/** The patterns as SQL LIKE patterns (`*` → `%`; `%`, `_` and `\` escaped). */
export function likePatterns(patterns: readonly string[]): string[] {
  return patterns.map((p) => p.replace(/[\\%_]/g, '\\$&').replace(/\*/g, '%'));
}

// greedy match of `*` with backtracking to the last star only: O(name × pattern) at worst
function globMatch(name: string, pattern: string): boolean {
  let n = 0;
  let p = 0;
  let star = -1;
  let mark = 0;
  while (n < name.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === name[n]) {
      n++;
      p++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = n;
    } else if (star >= 0) {
      p = star + 1;
      n = ++mark;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
