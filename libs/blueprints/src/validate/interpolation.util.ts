// `${params.x}` and `${tiers.t.address}` are the only interpolations; any other
// `${...}` (a shell variable in an init script, say) is left alone.
const INTERPOLATION = /\$\{(params|tiers)\.([^}]*)\}/g;
const PARAM_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
const TIER_ADDRESS = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)\.address$/;

export type Interpolation =
  | { kind: 'param'; name: string; text: string }
  | { kind: 'tier'; name: string; text: string }
  | { kind: 'malformed'; text: string };

/** The `${params.x}` and `${tiers.t.address}` references in a string (shell `${VAR}` ignored). */
export function findInterpolations(value: string): Interpolation[] {
  const found: Interpolation[] = [];
  for (const match of value.matchAll(INTERPOLATION)) {
    const [text, scope, rest = ''] = match;
    if (scope === 'params' && PARAM_NAME.test(rest)) found.push({ kind: 'param', name: rest, text });
    else if (scope === 'tiers' && TIER_ADDRESS.test(rest))
      found.push({ kind: 'tier', name: rest.split('.')[0] ?? '', text });
    else found.push({ kind: 'malformed', text });
  }
  return found;
}

// The whole string is one `${params.x}` (as in count or a connection end).
export function wholeParameterRef(value: string): string | undefined {
  const match = /^\$\{params\.([A-Za-z][A-Za-z0-9_]{0,62})\}$/.exec(value);
  return match?.[1];
}

/** Replaces parameter values and tier addresses in a string; unknown references are left as written. */
export function interpolate(
  value: string,
  params: Readonly<Record<string, unknown>>,
  tierAddress: (tier: string) => string,
): string {
  return value.replace(INTERPOLATION, (text, scope: string, rest: string) => {
    if (scope === 'params' && Object.hasOwn(params, rest)) return String(params[rest]);
    if (scope === 'tiers' && TIER_ADDRESS.test(rest)) return tierAddress(rest.split('.')[0] ?? '');
    return text;
  });
}
