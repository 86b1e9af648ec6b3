import type { LogFormat } from '../config/config.js';

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const COLORS: Record<string, string> = {
  TRACE: '90',
  DEBUG: '36',
  INFO: '32',
  WARN: '33',
  ERROR: '31',
  FATAL: '35',
};
// what the line shows in its own way, or what people do not need on a terminal
const SHOWN = new Set([
  'level',
  'time',
  'pid',
  'hostname',
  'context',
  'msg',
  'req',
  'res',
  'responseTime',
  'err',
]);
const MAX_EXTRA = 120;

export interface PrettyOptions {
  /** ANSI colour for the level (a terminal that wants it). */
  color?: boolean;
  /** Said after the level: which process wrote the record (`api`, `worker`). */
  process?: string;
}

/** Whether records are written for people: `pretty`, or `auto` on a terminal. */
export function isPrettyLogFormat(format: LogFormat, isTerminal: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && isTerminal);
}

/**
 * One pino record as one short line for people: time, level, process, context, message (a
 * request as method, URL, status and time), and the record's other plain fields as key=value.
 * An error's stack follows on indented lines, since that is what one reads an error for.
 */
export function formatLogRecord(record: Record<string, unknown>, options: PrettyOptions = {}): string {
  const level = LEVELS[Number(record.level)] ?? `L${String(record.level)}`;
  const parts = [clock(record.time), paint(level.padEnd(5), level, options.color)];
  if (options.process) parts.push(options.process);
  if (typeof record.context === 'string' && record.context) parts.push(`[${record.context}]`);
  parts.push(message(record));
  for (const [key, value] of Object.entries(record)) {
    if (SHOWN.has(key) || value === undefined || value === null) continue;
    const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    parts.push(`${key}=${text.length > MAX_EXTRA ? `${text.slice(0, MAX_EXTRA)}…` : text}`);
  }
  const line = parts.join(' ');
  const stack = errorStack(record);
  return stack ? `${line}\n${stack.replace(/^/gm, '    ')}` : line;
}

/** A pino destination that writes every record as {@link formatLogRecord} does. */
export function prettyLogDestination(
  out: { write(text: string): unknown },
  options: PrettyOptions = {},
): { write(line: string): void } {
  return {
    write(line: string) {
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        out.write(line);
        return;
      }
      out.write(`${formatLogRecord(record as Record<string, unknown>, options)}\n`);
    },
  };
}

function clock(time: unknown): string {
  const at = typeof time === 'string' || typeof time === 'number' ? new Date(time) : new Date();
  const valid = Number.isNaN(at.getTime()) ? new Date() : at;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(valid.getHours())}:${two(valid.getMinutes())}:${two(valid.getSeconds())}.${String(valid.getMilliseconds()).padStart(3, '0')}`;
}

function paint(text: string, level: string, color: boolean | undefined): string {
  return color && COLORS[level] ? `\u001b[${COLORS[level]}m${text}\u001b[39m` : text;
}

function message(record: Record<string, unknown>): string {
  const msg = typeof record.msg === 'string' ? record.msg : '';
  const req = record.req as { method?: string; url?: string } | undefined;
  const res = record.res as { statusCode?: number } | undefined;
  if (req?.method && res?.statusCode !== undefined) {
    const took = typeof record.responseTime === 'number' ? ` ${record.responseTime}ms` : '';
    const request = `${req.method} ${req.url ?? ''} ${res.statusCode}${took}`;
    return msg && msg !== 'request completed' ? `${request} ${msg}` : request;
  }
  const err = record.err as { message?: string } | undefined;
  if (err?.message && !msg.includes(err.message)) return msg ? `${msg}: ${err.message}` : err.message;
  return msg;
}

function errorStack(record: Record<string, unknown>): string | undefined {
  if (Number(record.level) < 50) return undefined;
  const err = record.err as { stack?: unknown } | undefined;
  const stack = typeof err?.stack === 'string' ? err.stack : record.stack;
  if (typeof stack !== 'string' || !stack) return undefined;
  // the stack's first line repeats the message the line already says
  return stack.split('\n').slice(1).join('\n') || undefined;
}
