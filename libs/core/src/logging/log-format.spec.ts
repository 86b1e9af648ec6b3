import { pino } from 'pino';
import { formatLogRecord, isPrettyLogFormat, prettyLogDestination } from './log-format.js';

const at = new Date(2025, 0, 15, 9, 5, 7, 42).toISOString();

describe('log format', () => {
  it('is pretty on a terminal in auto, JSON elsewhere, and what LOG_FORMAT says when set', () => {
    expect(isPrettyLogFormat('auto', true)).toBe(true);
    expect(isPrettyLogFormat('auto', false)).toBe(false);
    expect(isPrettyLogFormat('json', true)).toBe(false);
    expect(isPrettyLogFormat('pretty', false)).toBe(true);
  });

  it('writes a record as one line: local time, level, process, context, message', () => {
    const line = formatLogRecord(
      { level: 30, time: at, pid: 7, hostname: 'h', context: 'DemoCloudsService', msg: 'seeded' },
      { process: 'api' },
    );
    expect(line).toBe('09:05:07.042 INFO  api [DemoCloudsService] seeded');
  });

  it('writes a request as method, URL, status and time, with its other fields as key=value', () => {
    const line = formatLogRecord({
      level: 30,
      time: at,
      msg: 'request completed',
      requestId: 'r-1',
      req: { method: 'GET', url: '/api/v1/me' },
      res: { statusCode: 200 },
      responseTime: 12,
    });
    expect(line).toBe('09:05:07.042 INFO  GET /api/v1/me 200 12ms requestId=r-1');
  });

  it('shortens long fields and keeps an error’s stack on indented lines below', () => {
    const line = formatLogRecord({
      level: 50,
      time: at,
      msg: 'unexpected error',
      errorId: 'e1',
      details: { text: 'x'.repeat(500) },
      err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at a (a.js:1:1)\n    at b (b.js:2:2)' },
    });
    const [first, ...rest] = line.split('\n');
    expect(first).toMatch(/^09:05:07\.042 ERROR unexpected error: boom errorId=e1 details=\{"text":"x+…$/);
    expect(first!.length).toBeLessThan(220);
    expect(rest).toEqual(['        at a (a.js:1:1)', '        at b (b.js:2:2)']);
  });

  it('colours only the level, and only when asked', () => {
    expect(formatLogRecord({ level: 40, time: at, msg: 'm' }, { color: true })).toBe(
      '09:05:07.042 \u001b[33mWARN \u001b[39m m',
    );
  });

  it('is what pino writes through the pretty destination (a line that is not JSON passes as it is)', () => {
    const out: string[] = [];
    const sink = { write: (text: string) => out.push(text) };
    const log = pino({ base: { pid: 1, hostname: 'h' } }, prettyLogDestination(sink));
    log.info({ context: 'Boot' }, 'ready');
    prettyLogDestination(sink).write('plain text\n');
    expect(out[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}\[Boot\] ready\n$/);
    expect(out[1]).toBe('plain text\n');
  });
});
