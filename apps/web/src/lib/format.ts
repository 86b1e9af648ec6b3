/** The one way the app writes a date: year first, as the date fields take it: "2026-12-05". */
export const DATE_FORMAT = 'YYYY-MM-DD';

const pad = (n: number) => String(n).padStart(2, '0');

/** A moment in the reader's time zone, year first and 24-hour: "2026-12-05 17:40". */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${day} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
