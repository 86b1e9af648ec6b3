import type { components } from '../api/schema';

export type BenchmarkRequest = components['schemas']['CreateBenchmarkDto'];
type Candidate = BenchmarkRequest['candidates'][number];

/**
 * The benchmark form's text: one candidate per line as `ENV[,TIER=ENV][,TIER:TYPE]` (as
 * `syd benchmark run --candidate`), parameters one `key=value` per line. Answers the request
 * or the problem of each line, by the request's own paths.
 */
export function benchmarkRequest(
  blueprint: string,
  form: { candidates: string; parameters: string; runs: string; p95Ms: string },
): { request: BenchmarkRequest } | { problems: { path: string; message: string }[] } {
  const problems: { path: string; message: string }[] = [];
  const candidates: Candidate[] = [];
  form.candidates
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .forEach((line, i) => {
      const [env, ...rest] = line.split(',').map((s) => s.trim());
      const c: Candidate = { placement: { default: env ?? '', tiers: {} }, instanceTypes: {} };
      if (!env || /[=:]/.test(env))
        problems.push({ path: `candidates.${i}`, message: 'starts with an environment' });
      for (const item of rest) {
        const m = /^([^=:]+)([=:])(.+)$/.exec(item);
        if (!m)
          problems.push({ path: `candidates.${i}`, message: `"${item}" is neither TIER=ENV nor TIER:TYPE` });
        else if (m[2] === '=') c.placement.tiers![m[1]!] = m[3]!;
        else c.instanceTypes![m[1]!] = m[3]!;
      }
      candidates.push(c);
    });
  if (!candidates.length) problems.push({ path: 'candidates', message: 'name at least one candidate' });
  const parameters: Record<string, string | number | boolean> = {};
  for (const line of form.parameters
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const eq = line.indexOf('=');
    if (eq <= 0) {
      problems.push({ path: 'parameters', message: `"${line}" is not key=value` });
      continue;
    }
    const raw = line.slice(eq + 1);
    parameters[line.slice(0, eq)] = /^-?\d+(\.\d+)?$/.test(raw)
      ? Number(raw)
      : raw === 'true'
        ? true
        : raw === 'false'
          ? false
          : raw;
  }
  const runs = form.runs.trim() ? Number(form.runs) : undefined;
  if (runs !== undefined && !(Number.isInteger(runs) && runs >= 1 && runs <= 50))
    problems.push({ path: 'runs', message: 'must be a whole number from 1 to 50' });
  const p95Ms = form.p95Ms.trim() ? Number(form.p95Ms) : undefined;
  if (p95Ms !== undefined && !(p95Ms >= 0))
    problems.push({ path: 'slo.p95Ms', message: 'must be a number of ms' });
  if (problems.length) return { problems };
  return {
    request: {
      blueprint,
      parameters,
      candidates,
      ...(runs !== undefined ? { runs } : {}),
      ...(p95Ms !== undefined ? { slo: { p95Ms } } : {}),
    },
  };
}
