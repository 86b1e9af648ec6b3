import { when } from './format';

/** A span of time as a person reads it: "850 ms", "4.2 s", "3 min 05 s", "2 h 10 min". */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ${String(Math.floor(s % 60)).padStart(2, '0')} s`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${String(min % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} days ${h % 24} h`;
}

/** A moment as a person reads it, with how far it is from now: "2026-12-06 18:01 (in 23 h 59 min)". */
export function momentFromNow(iso: string, now: number): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const away = at.getTime() - now;
  return `${when(iso)} (${away >= 0 ? `in ${duration(away)}` : `${duration(-away)} ago`})`;
}
