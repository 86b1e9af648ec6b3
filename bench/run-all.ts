// Every benchmark, one after another, then one table of their figures: `npm run bench`
// (`npm run bench -- api fabric` for some). Each bench starts what it needs, its own reference
// server included, and stops it; a bench that fails is listed as failed and the others still run.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fmt, goalText, ratioOf, verdictOf, type Figure } from './support/figures.js';

const here = import.meta.dirname;
const all = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  console.error(`no such bench: ${unknown.join(', ')} (there are: ${all.join(', ')})`);
  process.exit(2);
}
const benches = wanted.length ? wanted : all;

const dir = mkdtempSync(join(os.tmpdir(), 'switchyard-bench-'));
const outcomes: { bench: string; code: number | null; seconds: number; figures: Figure[] }[] = [];
const startedAt = new Date();
const load = os.loadavg()[0]!;

function runBench(bench: string, figuresFile: string): Promise<number | null> {
  const child = spawn(
    process.execPath,
    [resolve(here, '../node_modules/.bin/tsx'), resolve(here, `${bench}.bench.ts`)],
    { stdio: 'inherit', env: { ...process.env, BENCH_FIGURES: figuresFile } },
  );
  return new Promise((ok) => child.on('exit', (code) => ok(code)));
}

try {
  for (const bench of benches) {
    console.log(`\n=== ${bench} ===`);
    const file = join(dir, `${bench}.jsonl`);
    const t0 = performance.now();
    const code = await runBench(bench, file);
    let figures: Figure[] = [];
    try {
      figures = readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Figure);
    } catch {
      // the bench reported nothing
    }
    outcomes.push({ bench, code, seconds: (performance.now() - t0) / 1000, figures });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const rows: string[][] = [['bench', 'figure', 'value', 'reference', 'ratio', 'goal', '']];
for (const o of outcomes) {
  if (o.code !== 0)
    rows.push([o.bench, `FAILED (exit ${o.code}) after ${o.seconds.toFixed(0)} s`, '', '', '', '', '']);
  if (o.code === 0 && o.figures.length === 0)
    rows.push([o.bench, '(figures in its output above)', '', '', '', '', '']);
  for (const f of o.figures) {
    const ratio = ratioOf(f);
    rows.push([
      o.bench,
      f.name,
      `${fmt(f.value)} ${f.unit}`.trim(),
      f.reference ? `${fmt(f.reference.value)} ${f.unit} (${f.reference.name})` : '',
      ratio === undefined ? '' : `${fmt(ratio)}×`,
      goalText(f),
      verdictOf(f),
    ]);
  }
}
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
console.log(
  `\nSwitchyard benchmarks, ${startedAt.toISOString()}: ${os.availableParallelism()} cores, ` +
    `load ${load.toFixed(2)} at the start, node ${process.version}`,
);
for (const [i, row] of rows.entries()) {
  console.log(
    row
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd(),
  );
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
const figures = outcomes.flatMap((o) => o.figures);
const missed = figures.filter((f) => verdictOf(f) === 'missed').length;
const met = figures.filter((f) => verdictOf(f) === 'met').length;
console.log(
  `\ngoals: ${met} met, ${missed} missed; benches failed: ${outcomes.filter((o) => o.code !== 0).length}`,
);
process.exit(outcomes.some((o) => o.code !== 0) ? 1 : 0);
