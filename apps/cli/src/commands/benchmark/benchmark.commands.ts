import type { Schemas } from '../../core/api-contract.js';
import type { CommandContext, CommandGroup } from '../../core/command.js';
import { list, str, UsageError } from '../../core/flags.js';
import { printJson, printTable } from '../../core/output.js';
import { pairs } from '../deploy/order.commands.js';
import { parseCandidate } from './benchmark-candidate.util.js';

type Benchmark = Schemas['BenchmarkDto'];
type Candidate = Benchmark['candidates'][number];

const n0 = (v: number | undefined) => (v === undefined ? '' : Math.round(v).toLocaleString('en-US'));
const ci = (i: { low: number; high: number } | null | undefined) => (i ? `${n0(i.low)}–${n0(i.high)}` : '');

function progress(c: Candidate, runs: number): string {
  const what =
    c.state === 'measuring'
      ? `measuring, run ${Math.min(c.runsDone + 1, runs)}/${runs}`
      : c.state === 'deploying'
        ? `deploying (${c.step ?? ''})`
        : c.state;
  return `  [${c.position + 1}] ${c.label}: ${what}${c.reason && c.state !== 'measured' ? ` — ${c.reason}` : ''}`;
}

/** The candidates table of `show` (and of `run --wait` at the end). */
export function printBenchmark(ctx: CommandContext, b: Benchmark): void {
  ctx.output.out(
    `${b.id} ${b.state}  ${b.blueprint}  ${b.runs} runs per candidate  load: ${b.load.method} ${b.load.target}:${b.load.port}${b.load.path} x${b.load.concurrency}`,
  );
  printTable(ctx.output, b.candidates, {
    '#': (c) => c.position + 1,
    CANDIDATE: (c) => c.label,
    STATE: (c) => c.state,
    'REQ/S': (c) => n0(c.result?.throughput.mean),
    '95% CI': (c) => ci(c.result?.throughput.interval),
    CV: (c) =>
      c.result?.throughput.coefficientOfVariation == null
        ? ''
        : `${(c.result.throughput.coefficientOfVariation * 100).toFixed(1)}%`,
    'P95 MS': (c) => c.result?.latencyMs.p95,
    ERRORS: (c) => (c.result ? `${(c.result.errorRate * 100).toFixed(2)}%` : ''),
    '$/H': (c) => `${c.cost.hourly.amount} ${c.cost.hourly.currency}`,
    'REQ/S PER $/H': (c) => n0(c.result?.perDollarHour.mean),
    '$/M REQ': (c) => (c.result ? c.result.perMillionRequests.toFixed(4) : ''),
    SLO: (c) => (c.result?.sloMet == null ? '' : c.result.sloMet ? 'met' : 'missed'),
    NOTE: (c) => (c.state === 'measured' ? '' : c.reason),
  });
  for (const note of b.ranking?.notes ?? []) ctx.output.out(note);
  for (const l of b.leftBehind)
    ctx.output.err(`left behind: candidate ${l.candidate + 1}, deployment ${l.deploymentId}: ${l.message}`);
}

async function waitForBenchmark(ctx: CommandContext, id: string): Promise<Benchmark> {
  const said = new Map<number, string>();
  for (;;) {
    const { body: b } = await ctx.api.get('/api/v1/benchmarks/{id}', { path: { id } });
    if (!ctx.output.json) {
      for (const c of b.candidates) {
        const line = progress(c, b.runs);
        if (said.get(c.position) !== line) ctx.output.out(line);
        said.set(c.position, line);
      }
    }
    if (b.endedAt) return b;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export const benchmarkCommands: CommandGroup = {
  name: 'benchmark',
  aliases: ['benchmarks', 'bench'],
  summary: 'measure a blueprint on candidate placements: price/performance with confidence intervals',
  commands: [
    {
      name: 'run',
      usage:
        'syd benchmark run BLUEPRINT[@RANGE] --candidate ENV[,TIER=ENV][,TIER:TYPE]... [-p k=v]... [--runs N] [--parallel] [--slo-p95-ms MS] [--every HOURS] [--wait]',
      summary:
        'deploy each candidate, load its target tier, tear it down, rank; --wait follows each candidate',
      flags: [
        { name: 'candidate', short: 'c', kind: 'list', help: 'a candidate placement (repeatable)' },
        { name: 'param', short: 'p', kind: 'list', help: 'parameter value key=value (repeatable)' },
        { name: 'runs', short: 'r', kind: 'string', help: 'measured runs per candidate (default 5)' },
        { name: 'parallel', kind: 'bool', help: 'run the candidates at once (default: one after another)' },
        { name: 'slo-p95-ms', kind: 'string', help: 'SLO: p95 latency at most this many ms' },
        { name: 'requests', kind: 'string', help: "requests per run (default: the blueprint's)" },
        { name: 'concurrency', kind: 'string', help: "connections (default: the blueprint's)" },
        {
          name: 'every',
          kind: 'string',
          help: 'repeat every HOURS (168: weekly); see `benchmark schedules`',
        },
        { name: 'wait', short: 'w', kind: 'bool', help: 'follow until the benchmark ends, then show it' },
      ],
      async run(ctx) {
        const blueprint = ctx.args[0];
        const candidates = list(ctx.flags, 'candidate').map(parseCandidate);
        if (!blueprint || candidates.length === 0)
          throw new UsageError('BLUEPRINT and at least one --candidate are required');
        const num = (flag: string) => {
          const v = str(ctx.flags, flag);
          if (v === undefined) return undefined;
          if (!/^\d+(\.\d+)?$/.test(v)) throw new UsageError(`--${flag} takes a number, got "${v}"`);
          return Number(v);
        };
        const runs = num('runs');
        const p95Ms = num('slo-p95-ms');
        const requests = num('requests');
        const concurrency = num('concurrency');
        const everyHours = num('every');
        const { body } = await ctx.api.post('/api/v1/benchmarks', {
          body: {
            blueprint,
            parameters: pairs(list(ctx.flags, 'param'), '-p'),
            candidates,
            ...(runs !== undefined ? { runs } : {}),
            ...(ctx.flags.parallel ? { parallel: true } : {}),
            ...(p95Ms !== undefined ? { slo: { p95Ms } } : {}),
            ...(requests !== undefined || concurrency !== undefined
              ? { load: { requests, concurrency } }
              : {}),
            ...(everyHours !== undefined ? { schedule: { everyHours } } : {}),
          },
        });
        if (!ctx.flags.wait) {
          if (ctx.output.json) printJson(ctx.output, body);
          else ctx.output.out(body.id);
          return 0;
        }
        const final = await waitForBenchmark(ctx, body.id);
        if (ctx.output.json) printJson(ctx.output, final);
        else printBenchmark(ctx, final);
        return final.state === 'completed' && final.leftBehind.length === 0 ? 0 : 1;
      },
    },
    {
      name: 'show',
      usage: 'syd benchmark show ID',
      summary: 'the candidates, their figures and the ranking, as a table',
      async run(ctx) {
        const { body } = await ctx.api.get('/api/v1/benchmarks/{id}', { path: { id: ctx.args[0] ?? '' } });
        if (ctx.output.json) return printJson(ctx.output, body);
        printBenchmark(ctx, body);
      },
    },
    {
      name: 'ls',
      aliases: ['list'],
      usage: 'syd benchmark ls [--blueprint NAME] [--env ENV]',
      summary: 'benchmarks, newest first',
      flags: [
        { name: 'blueprint', kind: 'string', help: 'only this blueprint' },
        { name: 'env', kind: 'string', help: 'only those with a candidate on this environment' },
      ],
      async run(ctx) {
        const flag = (name: string) => str(ctx.flags, name) || undefined;
        const { body } = await ctx.api.get('/api/v1/benchmarks', {
          query: { limit: 200, blueprint: flag('blueprint'), environment: flag('env') },
        });
        if (ctx.output.json) return printJson(ctx.output, body.items);
        printTable(ctx.output, body.items, {
          ID: (b) => b.id,
          BLUEPRINT: (b) => b.blueprint,
          STATE: (b) => b.state,
          CANDIDATES: (b) => b.candidates.length,
          'BEST VALUE': (b) => b.ranking?.bestValue?.label,
          FASTEST: (b) => b.ranking?.fastest?.label,
          CREATED: (b) => b.createdAt,
        });
      },
    },
    {
      name: 'schedules',
      usage: 'syd benchmark schedules',
      summary: 'repeating benchmarks (made by `run --every`): interval, next run, benchmarks made',
      async run(ctx) {
        const { body } = await ctx.api.get('/api/v1/benchmark-schedules', { query: { limit: 500 } });
        if (ctx.output.json) return printJson(ctx.output, body.items);
        printTable(ctx.output, body.items, {
          ID: (s) => s.id,
          BLUEPRINT: (s) => s.blueprint,
          'EVERY (H)': (s) => s.everyHours,
          'NEXT RUN': (s) => s.nextRunAt,
          RUNS: (s) => s.benchmarks.length,
          LATEST: (s) => s.benchmarks.at(-1),
        });
      },
    },
    {
      name: 'unschedule',
      usage: 'syd benchmark unschedule SCHEDULE_ID',
      summary: 'stop the repeats (the benchmarks made stay)',
      async run(ctx) {
        const id = ctx.args[0] ?? '';
        await ctx.api.delete('/api/v1/benchmark-schedules/{id}', { path: { id } });
        if (ctx.output.json) return printJson(ctx.output, { id, deleted: true });
        ctx.output.out(`${id} deleted`);
      },
    },
    {
      name: 'cancel',
      aliases: ['rm'],
      usage: 'syd benchmark cancel ID',
      summary: "cancel: every candidate's deployment is torn down",
      async run(ctx) {
        const { body } = await ctx.api.delete('/api/v1/benchmarks/{id}', { path: { id: ctx.args[0] ?? '' } });
        if (ctx.output.json) return printJson(ctx.output, body);
        ctx.output.out(`${body.id} ${body.state}`);
      },
    },
  ],
};
