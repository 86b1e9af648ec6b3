export type PatternResult = { ok: true; regex: RegExp } | { ok: false; message: string };

// Patterns come from tenants and run on the server: refuse the classic
// catastrophic-backtracking shape (a quantified group that contains a quantifier).
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]/;

export function compilePattern(pattern: string): PatternResult {
  if (NESTED_QUANTIFIER.test(pattern)) {
    return { ok: false, message: 'must not repeat a group that itself repeats (catastrophic backtracking)' };
  }
  try {
    return { ok: true, regex: new RegExp(pattern, 'u') };
  } catch {
    return { ok: false, message: 'is not a valid regular expression' };
  }
}
