import { parseCidr } from '../net/cidr.util.js';
import { joinPath } from '../problem.types.js';
import { wholeParameterRef } from './interpolation.util.js';
import { checkReferences, type RuleContext } from './rule-context.util.js';

export const INTERNET = 'internet';

export function checkConnections(ctx: RuleContext): void {
  (ctx.doc.connections ?? []).forEach((connection, index) => {
    if (connection === undefined) return;
    const path = joinPath('connections', index);
    if (connection.from !== undefined) checkSource(ctx, connection.from, joinPath(path, 'from'));
    const to = connection.to;
    if (to !== undefined && !ctx.tierNames.has(to)) {
      const external = to === INTERNET || to.includes('/') || to.includes('${');
      ctx.problems.push({
        path: joinPath(path, 'to'),
        message: external
          ? 'must name a tier (connections govern traffic into tiers)'
          : `"${to}" names no tier`,
      });
    }
  });
}

function checkSource(ctx: RuleContext, from: string, path: string): void {
  if (ctx.tierNames.has(from) || from === INTERNET) return;
  const param = wholeParameterRef(from);
  if (param !== undefined) {
    const spec = ctx.params.get(param);
    if (spec === undefined) ctx.problems.push({ path, message: `${from} names no declared parameter` });
    else if (spec.type !== undefined && spec.type !== 'cidr') {
      ctx.problems.push({
        path,
        message: `parameter ${param} is a ${spec.type}; a connection end needs a cidr`,
      });
    }
    return;
  }
  if (from.includes('/')) {
    const parsed = parseCidr(from);
    if (!parsed.ok) ctx.problems.push({ path, message: parsed.message });
    return;
  }
  ctx.problems.push({
    path,
    message: `"${from}" is not a tier, internet, a CIDR or a \${params.name} of type cidr`,
  });
}

export function checkBenchmark(ctx: RuleContext): void {
  const benchmark = ctx.doc.benchmark;
  if (benchmark?.target !== undefined && !ctx.tierNames.has(benchmark.target)) {
    ctx.problems.push({ path: 'benchmark.target', message: `"${benchmark.target}" names no tier` });
  }
  const http = benchmark?.http;
  if (http?.concurrency !== undefined && http.requests !== undefined && http.concurrency > http.requests) {
    ctx.problems.push({
      path: 'benchmark.http.concurrency',
      message: `must not exceed requests (${http.concurrency} > ${http.requests})`,
    });
  }
}

export function checkOutputs(ctx: RuleContext): void {
  for (const [name, value] of Object.entries(ctx.doc.outputs ?? {})) {
    if (value === undefined) continue;
    checkReferences(ctx, value, joinPath('outputs', name), { allowTiers: true, forbidSecrets: true });
  }
}
