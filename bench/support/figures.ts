import { appendFileSync } from 'node:fs';

/** A goal for a figure: a floor or ceiling on the value, or a floor on its ratio to the reference. */
export interface Goal {
  atLeast?: number;
  atMost?: number;
  ratioAtLeast?: number;
}

/** One measured figure, with the reference measured in the same run where there is one. */
export interface Figure {
  /** What was measured, e.g. "GET /api/v1/me, 16 connections". */
  name: string;
  value: number;
  /** "req/s", "ms", "allocations/s", "MB"… */
  unit: string;
  reference?: { name: string; value: number };
  goal?: Goal;
}

export type Verdict = 'met' | 'missed' | '';

export function ratioOf(f: Figure): number | undefined {
  return f.reference && f.reference.value > 0 ? f.value / f.reference.value : undefined;
}

/** Whether the figure meets its goal ('' when it has none). */
export function verdictOf(f: Figure): Verdict {
  const g = f.goal;
  if (!g) return '';
  const ratio = ratioOf(f);
  const ok =
    (g.atLeast === undefined || f.value >= g.atLeast) &&
    (g.atMost === undefined || f.value <= g.atMost) &&
    (g.ratioAtLeast === undefined || (ratio !== undefined && ratio >= g.ratioAtLeast));
  return ok ? 'met' : 'missed';
}

export function goalText(f: Figure): string {
  const g = f.goal;
  if (!g) return '';
  const parts: string[] = [];
  if (g.atLeast !== undefined) parts.push(`≥ ${fmt(g.atLeast)} ${f.unit}`);
  if (g.atMost !== undefined) parts.push(`≤ ${fmt(g.atMost)} ${f.unit}`);
  if (g.ratioAtLeast !== undefined) parts.push(`≥ ${fmt(g.ratioAtLeast)}× ref`);
  return parts.join(', ');
}

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

/**
 * Prints the figure as a line and, when `npm run bench` collects the figures (BENCH_FIGURES names
 * a file), appends it there as one JSON line for the summary table.
 */
export function reportFigure(f: Figure): void {
  const ratio = ratioOf(f);
  const ref = f.reference ? `   ref ${f.reference.name} ${fmt(f.reference.value)} ${f.unit}` : '';
  const r = ratio === undefined ? '' : `   ratio ${fmt(ratio)}×`;
  const goal = f.goal ? `   goal ${goalText(f)}: ${verdictOf(f)}` : '';
  console.log(`» ${f.name}: ${fmt(f.value)} ${f.unit}${ref}${r}${goal}`);
  const file = process.env.BENCH_FIGURES;
  if (file) appendFileSync(file, `${JSON.stringify(f)}\n`);
}
