/** Output for people (aligned tables) or for scripts (`--output json` / `--json`). */
export interface Output {
  json: boolean;
  out(text: string): void;
  err(text: string): void;
}

export function printJson(o: Output, value: unknown): void {
  o.out(JSON.stringify(value, null, 2));
}

/** An aligned table; `columns` maps headers to cell getters. */
export function printTable<T>(o: Output, rows: T[], columns: Record<string, (row: T) => unknown>): void {
  const headers = Object.keys(columns);
  const cells = rows.map((row) => headers.map((h) => cell(columns[h]!(row))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  o.out(line(headers));
  o.out(line(widths.map((w) => '-'.repeat(w))));
  for (const c of cells) o.out(line(c));
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
