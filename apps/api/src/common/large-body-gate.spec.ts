import express, { type NextFunction, type Request, type Response } from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppException } from './app.exception.js';
import { largeBodyGate } from './large-body-gate.js';

// The gate in a real express app on loopback: handlers of large bodies hold until the test lets
// them go, so the order in which they start shows who the gate let through.
describe('largeBodyGate', () => {
  let server: http.Server;
  let port: number;
  const started: string[] = [];
  const holds = new Map<string, () => void>();

  beforeEach(async () => {
    started.length = 0;
    holds.clear();
    const app = express();
    app.use(largeBodyGate({ thresholdBytes: 1000, concurrency: 1, maxWaiting: 1 }));
    app.post('/:name', (req, res) => {
      const name = String(req.params.name);
      started.push(name);
      req.resume();
      req.on('end', () => holds.set(name, () => res.status(200).send(name)));
    });
    app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
      const e = err as AppException;
      res.status(503).set('Retry-After', String(e.retryAfterSeconds)).send(e.code);
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  function post(name: string, bytes: number) {
    const req = http.request({ port, host: '127.0.0.1', method: 'POST', path: `/${name}`, agent: false });
    const answer = new Promise<{ status: number; body: string; retryAfter?: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body, retryAfter: res.headers['retry-after'] as string }),
        );
      });
      req.on('error', reject);
    });
    req.setHeader('content-length', bytes);
    req.end(Buffer.alloc(bytes, 'x'));
    return { answer, req };
  }

  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(check()).toBe(true);
  };
  const settle = () => new Promise((r) => setTimeout(r, 100));

  it('lets one large body in at a time, in arrival order, while small ones pass', async () => {
    const a = post('a', 5000);
    await until(() => holds.has('a'));
    const b = post('b', 5000);
    const small = post('small', 10);
    await until(() => holds.has('small'));
    holds.get('small')!();
    expect(await small.answer).toMatchObject({ status: 200, body: 'small' });
    await settle();
    expect(started).toEqual(['a', 'small']);

    holds.get('a')!();
    expect(await a.answer).toMatchObject({ status: 200, body: 'a' });
    await until(() => holds.has('b'));
    expect(started).toEqual(['a', 'small', 'b']);
    holds.get('b')!();
    expect(await b.answer).toMatchObject({ status: 200, body: 'b' });
  });

  it('answers 503 with Retry-After once the waiting line is full', async () => {
    const a = post('a', 5000);
    await until(() => holds.has('a'));
    const b = post('b', 5000);
    await settle();
    const c = post('c', 5000);
    expect(await c.answer).toEqual({ status: 503, body: 'UNAVAILABLE', retryAfter: '1' });
    expect(started).toEqual(['a']);
    holds.get('a')!();
    await a.answer;
    await until(() => holds.has('b'));
    holds.get('b')!();
    await b.answer;
  });

  it('gives the place of a client that leaves while waiting to the next one', async () => {
    const a = post('a', 5000);
    await until(() => holds.has('a'));
    const b = post('b', 5000);
    b.answer.catch(() => undefined);
    await settle();
    b.req.destroy();
    await settle();
    const c = post('c', 5000);
    await settle();
    holds.get('a')!();
    await a.answer;
    await until(() => holds.has('c'));
    expect(started).toEqual(['a', 'c']);
    holds.get('c')!();
    await c.answer;
    // and the gate is free again: the next large body starts at once
    const d = post('d', 5000);
    await until(() => holds.has('d'));
    holds.get('d')!();
    expect(await d.answer).toMatchObject({ status: 200, body: 'd' });
  });
});
