import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { requestLogging } from './request-log.js';

describe('requestLogging', () => {
  let lines: Record<string, unknown>[];
  let root: Logger<string>;
  let server: Server;
  let base: string;
  let children: number;

  const start = async (level = 'info') => {
    lines = [];
    children = 0;
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    root = pino({ level, timestamp: pino.stdTimeFunctions.isoTime }, sink) as Logger<string>;
    const child = root.child.bind(root);
    root.child = ((...args: Parameters<typeof child>) => {
      children++;
      return child(...args);
    }) as typeof root.child;
    const middleware = requestLogging(root);
    server = createServer((req, res) => {
      middleware(req as Parameters<typeof middleware>[0], res, () => {
        const url = req.url ?? '';
        if (url.startsWith('/log')) (req as unknown as { log: Logger }).log.warn('inside the request');
        if (url.startsWith('/slow')) return void setTimeout(() => res.end('late'), 2_000);
        res.statusCode = url.startsWith('/boom') ? 500 : 200;
        res.end('{}');
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, { headers });
    await res.text();
    await new Promise((r) => setTimeout(r, 20));
    return res;
  };

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
  });

  it('writes one JSON line per answer: id, method, URL, status, time; and echoes the id', async () => {
    await start();
    const res = await get('/api/v1/me?x=%22quoted%22', { 'x-request-id': 'ci-run-7' });
    expect(res.headers.get('x-request-id')).toBe('ci-run-7');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toEqual({
      level: 30,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      pid: process.pid,
      hostname: expect.any(String),
      requestId: 'ci-run-7',
      req: { method: 'GET', url: '/api/v1/me?x=%22quoted%22' },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
      msg: 'request completed',
    });
    // nothing logged inside the request: no child logger was made for it
    expect(children).toBe(0);
  });

  it('replaces an id that does not look sane with a new one', async () => {
    await start();
    const res = await get('/x', { 'x-request-id': 'a b\u00e9'.repeat(3) });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines[0]!.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('stamps the id on every line logged while serving the request', async () => {
    await start();
    await get('/log', { 'x-request-id': 'with-a-line' });
    expect(lines.map((l) => [l.msg, l.requestId, l.level])).toEqual([
      ['inside the request', 'with-a-line', 40],
      ['request completed', 'with-a-line', 30],
    ]);
    expect(children).toBe(1);
  });

  it('logs a 5xx at error level, and nothing for probes and scrapes', async () => {
    await start();
    await get('/health/live');
    await get('/metrics');
    await get('/boom');
    expect(lines.map((l) => [l.level, (l.res as { statusCode: number }).statusCode])).toEqual([[50, 500]]);
  });

  it('follows the logger level: at warn only failed requests are written', async () => {
    await start('warn');
    await get('/fine');
    await get('/boom');
    expect(lines.map((l) => (l.req as { url: string }).url)).toEqual(['/boom']);
  });

  it('says when the client went away before the answer', async () => {
    await start();
    await new Promise<void>((ok) => {
      const req = request(`${base}/slow`);
      req.on('error', () => ok());
      req.end();
      setTimeout(() => req.destroy(), 100);
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(lines.map((l) => l.msg)).toEqual(['request aborted']);
  });
});
