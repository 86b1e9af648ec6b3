import { CloudErrorCode } from '../adapter/cloud.exception.js';
import { mapAgentError, mapAgentTransport } from './linux-host-error.mapper.js';
import { firstHost, tagQuery, toCloudInstance } from './linux-host-wire.js';

const body = (code: string, message: string, details: unknown = {}) =>
  JSON.stringify({ error: { code, message, details } });

describe('the host agent’s errors as CloudErrors', () => {
  it('maps each code of the agent’s contract to its kind, keeping the agent’s code and message', () => {
    const cases: Array<[number, string, CloudErrorCode]> = [
      [401, 'Unauthorized', CloudErrorCode.AuthFailed],
      [404, 'NotFound', CloudErrorCode.NotFound],
      [409, 'InUse', CloudErrorCode.InUse],
      [400, 'InvalidParameter', CloudErrorCode.InvalidRequest],
      [409, 'Conflict', CloudErrorCode.InvalidRequest],
      [503, 'Unavailable', CloudErrorCode.Unavailable],
      [500, 'Internal', CloudErrorCode.Unavailable],
      [429, 'TooMany', CloudErrorCode.Throttled],
    ];
    for (const [status, code, kind] of cases) {
      const error = mapAgentError(status, body(code, `said ${code}`));
      expect({ kind: error.code, cloudCode: error.cloudCode, message: error.cloudMessage }).toEqual({
        kind,
        cloudCode: code,
        message: `said ${code}`,
      });
      expect(error.provider).toBe('linux-host');
    }
  });

  it('names each bad field the agent named, and reads a proxy’s HTML as text', () => {
    const bad = mapAgentError(
      400,
      body('InvalidParameter', 'bad body', { fields: [{ path: 'tag', message: 'must be 1..16777215' }] }),
    );
    expect(bad.cloudMessage).toBe('bad body (tag: must be 1..16777215)');
    const proxy = mapAgentError(502, '<html><body><h1>Bad gateway</h1></body></html>', '3');
    expect(proxy).toMatchObject({
      code: CloudErrorCode.Unavailable,
      cloudCode: 'HTTP502',
      retryAfterMs: 3000,
    });
    expect(proxy.cloudMessage).toBe('Bad gateway');
  });

  it('makes a refused or timed-out call Unavailable, so it is retried', () => {
    const refused = mapAgentTransport('GET http://127.0.0.1:1/v1/host', {
      cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' },
    });
    expect(refused).toMatchObject({
      code: CloudErrorCode.Unavailable,
      cloudCode: 'ECONNREFUSED',
      retryable: true,
    });
    expect(mapAgentTransport('u', { name: 'TimeoutError' }).cloudCode).toBe('ETIMEDOUT');
  });
});

describe('the agent’s wire forms', () => {
  it('reads an instance, and a state it does not know as error', () => {
    const wire = {
      id: 'i-1',
      name: 'web-0',
      state: 'running' as const,
      instanceType: 'lh.1',
      image: 'host-root',
      privateIp: '10.1.0.10',
      network: 'n1',
      tags: { 'switchyard:tier': 'web' },
    };
    expect(toCloudInstance(wire)).toEqual({
      id: 'i-1',
      name: 'web-0',
      state: 'running',
      instanceType: 'lh.1',
      image: 'host-root',
      privateIp: '10.1.0.10',
      tags: { 'switchyard:tier': 'web' },
    });
    expect(toCloudInstance({ ...wire, state: 'melting' as never }).state).toBe('error');
  });

  it('writes tag filters and finds a block’s first host', () => {
    expect(tagQuery({ 'switchyard:deployment': 'd 1', a: 'b=c' })).toBe(
      'tag=switchyard%3Adeployment%3Dd%201&tag=a%3Db%3Dc',
    );
    expect(firstHost('10.1.2.0/24')).toBe('10.1.2.1');
    expect(firstHost('10.1.2.77/26')).toBe('10.1.2.65');
    expect(firstHost('10.1.2.0/31')).toBeUndefined();
    expect(firstHost('fd00::/64')).toBeUndefined();
  });
});
