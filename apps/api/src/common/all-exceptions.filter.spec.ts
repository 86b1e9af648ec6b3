import { jest } from '@jest/globals';
import { BadRequestException, Logger, NotFoundException, type ArgumentsHost } from '@nestjs/common';
import { AllExceptionsFilter } from './all-exceptions.filter.js';
import { AppException, ErrorCode } from './app.exception.js';

/** A strict fake of the two response methods the filter may call. */
function fakeHost() {
  const sent: { status?: number; body?: unknown; headers: Record<string, string> } = { headers: {} };
  const res = {
    headersSent: false,
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
      return this;
    },
    setHeader(name: string, value: string) {
      sent.headers[name.toLowerCase()] = value;
    },
  };
  const req = { method: 'GET', originalUrl: '/x' };
  const host = {
    switchToHttp: () => ({ getResponse: () => res, getRequest: () => req }),
  } as unknown as ArgumentsHost;
  return { host, sent };
}

describe('AllExceptionsFilter', () => {
  const filter = new AllExceptionsFilter();

  it('answers a domain error with its status and the common body', () => {
    const { host, sent } = fakeHost();
    filter.catch(AppException.invalid([{ path: 'a.b', message: 'is wrong' }]), host);
    expect(sent.status).toBe(400);
    expect(sent.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'The request is invalid',
      details: [{ path: 'a.b', message: 'is wrong' }],
    });
  });

  it('adds a challenge to 401s', () => {
    const { host, sent } = fakeHost();
    filter.catch(new AppException(ErrorCode.Unauthenticated, 'no token'), host);
    expect(sent.status).toBe(401);
    expect(sent.headers['www-authenticate']).toMatch(/^Bearer /);
  });

  it('says when to try again after a 429, in whole seconds', () => {
    const { host, sent } = fakeHost();
    filter.catch(AppException.rateLimited('slow down', 29.2), host);
    expect(sent.status).toBe(429);
    expect(sent.headers['retry-after']).toBe('30');
    expect(sent.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', message: 'slow down' });
  });

  it("gives Nest's own 400s a detail and its 404s the common shape", () => {
    const bad = fakeHost();
    filter.catch(new BadRequestException('Unexpected token'), bad.host);
    expect(bad.sent.body).toMatchObject({
      statusCode: 400,
      details: [{ path: '', message: 'Unexpected token' }],
    });
    const missing = fakeHost();
    filter.catch(new NotFoundException('Cannot GET /x'), missing.host);
    expect(missing.sent.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Route not found',
      details: [],
    });
  });

  it('answers an unexpected error with a 500 carrying only an error id, and logs the details under it', () => {
    const logged: unknown[] = [];
    const spy = jest.spyOn(Logger.prototype, 'error').mockImplementation((entry: unknown) => {
      logged.push(entry);
    });
    const { host, sent } = fakeHost();
    filter.catch(new Error('secret detail: db password is hunter2'), host);
    spy.mockRestore();
    expect(sent.status).toBe(500);
    const body = sent.body as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['error', 'errorId', 'statusCode']);
    expect(body.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(body)).not.toContain('hunter2');
    expect(logged).toEqual([expect.objectContaining({ errorId: body.errorId, err: expect.any(Error) })]);
  });
});
