import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { FetchLike } from './keystone.session.js';

export interface TlsFetchOptions {
  /** PEM of the CA (or CAs) to trust: these alone, the system store no longer applies. */
  caCert?: string;
  /** Accept any certificate, for this connection only. */
  insecure?: boolean;
}

/** A fetch with its own TLS trust, and the pool of sockets it keeps. */
export interface TlsFetch {
  fetch: FetchLike;
  /** Closes the pooled sockets. */
  close(): void;
}

// statuses whose Response must have a null body (the constructor throws otherwise)
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * `fetch` over node:https with a per-connection Agent that trusts `caCert` only (or, when
 * `insecure`, any certificate): Node's `fetch` takes a CA only through an undici dispatcher.
 * Fails as `fetch` does (a TypeError whose `cause` carries the socket or TLS error code, the
 * signal's reason on abort), so the error mapper reads both alike. Plain http URLs go to `fetch`.
 * Redirects are not followed (OpenStack's APIs answer without them).
 */
export function tlsFetch(options: TlsFetchOptions): TlsFetch {
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: 8,
    ...(options.caCert ? { ca: [options.caCert] } : {}),
    rejectUnauthorized: options.insecure !== true,
    minVersion: 'TLSv1.2',
  });
  const fetchOverTls: FetchLike = async (url, init) =>
    new URL(url).protocol === 'https:' ? request(agent, url, init) : fetch(url, init);
  return { fetch: fetchOverTls, close: () => agent.destroy() };
}

async function request(agent: https.Agent, url: string, init: RequestInit): Promise<Response> {
  const signal = init.signal ?? undefined;
  signal?.throwIfAborted();
  const body = requestBody(init.body);
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, key) => (headers[key] = value));
  if (body) headers['content-length'] = String(body.byteLength);

  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: init.method ?? 'GET', agent, headers });
    // settle once, and drop the abort listener whichever way the request ends
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const fail = (message: string) => (error: Error) =>
      settle(() => reject(new TypeError(message, { cause: error })));
    const onAbort = () => {
      req.destroy();
      settle(() => reject(signal?.reason as Error));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', fail('fetch failed'));
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', fail('terminated'));
      res.on('end', () => {
        try {
          const response = toResponse(res, Buffer.concat(chunks));
          settle(() => resolve(response));
        } catch (error) {
          fail('fetch failed')(error as Error);
        }
      });
      // the connection closed before the whole body came
      res.on('close', () => {
        if (!res.complete) {
          fail('terminated')(Object.assign(new Error('other side closed'), { code: 'ECONNRESET' }));
        }
      });
    });
    req.end(body);
  });
}

function requestBody(body: RequestInit['body']): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // the OpenStack client sends JSON text only
  throw new TypeError('tlsFetch sends string and byte bodies only');
}

function toResponse(res: IncomingMessage, body: Buffer): Response {
  const headers = new Headers();
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
    headers.append(res.rawHeaders[i] ?? '', res.rawHeaders[i + 1] ?? '');
  }
  const status = res.statusCode ?? 0;
  return new Response(NULL_BODY.has(status) ? null : body, {
    status,
    statusText: res.statusMessage ?? '',
    headers,
  });
}
