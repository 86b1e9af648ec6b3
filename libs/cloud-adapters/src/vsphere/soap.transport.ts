import https from 'node:https';
import { mapVsphereTransport } from './vsphere-fault.mapper.js';

export interface SoapHttpResponse {
  status: number;
  setCookie: string[];
  body: string;
  /** The Retry-After header of a 429/503, when the server (or its proxy) sent one. */
  retryAfter?: string;
}

/** The I/O port of the SOAP client: one POST of an envelope. */
export interface SoapTransport {
  post(body: string, headers: Record<string, string>): Promise<SoapHttpResponse>;
  close(): void;
}

export interface HttpsSoapTransportOptions {
  /** The SDK endpoint, e.g. https://vcenter.example/sdk */
  url: string;
  /** PEM of the CA that signed the server's certificate (instead of the system store, as Node's `ca` option does). */
  caCert?: string;
  /** Accept any certificate, for this connection only. Off unless asked for. */
  insecure?: boolean;
  timeoutMs?: number;
}

/** POSTs over node:https with a per-connection Agent; TLS verification stays on by default. */
export class HttpsSoapTransport implements SoapTransport {
  private readonly agent: https.Agent;

  constructor(private readonly options: HttpsSoapTransportOptions) {
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets: 8,
      ...(options.caCert ? { ca: options.caCert } : {}),
      rejectUnauthorized: options.insecure !== true,
      minVersion: 'TLSv1.2',
    });
  }

  post(body: string, headers: Record<string, string>): Promise<SoapHttpResponse> {
    const url = this.options.url;
    return new Promise((resolve, reject) => {
      const req = https.request(
        url,
        {
          method: 'POST',
          agent: this.agent,
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          timeout: this.options.timeoutMs ?? 60_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (error) => reject(mapVsphereTransport(url, undefined, error)));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              setCookie: res.headers['set-cookie'] ?? [],
              body: Buffer.concat(chunks).toString('utf8'),
              ...(res.headers['retry-after'] ? { retryAfter: res.headers['retry-after'] } : {}),
            }),
          );
        },
      );
      req.on('timeout', () => {
        const error = Object.assign(new Error(`no answer within ${this.options.timeoutMs ?? 60_000} ms`), {
          code: 'ETIMEDOUT',
        });
        req.destroy(error);
      });
      req.on('error', (error) => reject(mapVsphereTransport(url, undefined, error)));
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
