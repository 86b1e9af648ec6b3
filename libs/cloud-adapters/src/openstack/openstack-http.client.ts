import { isCloudError } from '../adapter/cloud.exception.js';
import { withRetry, type RetryClock, type RetryPolicy } from '../adapter/retry.util.js';
import type { FetchLike, KeystoneSession, ServiceType } from './keystone.session.js';
import { mapOpenStackError, mapOpenStackTransport } from './openstack-error.mapper.js';

export interface OpenStackHttpOptions {
  session: KeystoneSession;
  retry: RetryPolicy;
  clock: RetryClock;
  requestTimeoutMs?: number;
  /** Nova microversion sent with compute calls. */
  computeMicroversion?: string;
  fetch?: FetchLike;
}

/**
 * JSON over HTTP to one OpenStack service, with the session's token. Reads and deletes are
 * retried on Throttled/Unavailable; creates (POST) are not, their callers look up before repeating.
 */
export class OpenStackHttp {
  private readonly fetch: FetchLike;

  constructor(private readonly options: OpenStackHttpOptions) {
    this.fetch = options.fetch ?? ((url, init) => fetch(url, init));
  }

  get<T>(service: ServiceType, path: string): Promise<T> {
    return this.retried(() => this.send<T>(service, 'GET', path));
  }

  put<T>(service: ServiceType, path: string, body?: unknown): Promise<T> {
    return this.retried(() => this.send<T>(service, 'PUT', path, body));
  }

  /** DELETE; a resource already gone counts as deleted. */
  async delete(service: ServiceType, path: string): Promise<void> {
    await this.retried(async () => {
      try {
        await this.send(service, 'DELETE', path);
      } catch (error) {
        if (!(isCloudError(error) && error.code === 'NotFound')) throw error;
      }
    });
  }

  /** POST, sent once. */
  post<T>(service: ServiceType, path: string, body: unknown): Promise<T> {
    return this.send<T>(service, 'POST', path, body);
  }

  private retried<T>(call: () => Promise<T>): Promise<T> {
    return withRetry(call, this.options.retry, this.options.clock);
  }

  private async send<T>(service: ServiceType, method: string, path: string, body?: unknown): Promise<T> {
    const base = await this.options.session.endpoint(service);
    const url = path.startsWith('http') ? path : `${base}${path}`;
    const attempt = async () => {
      const headers: Record<string, string> = {
        accept: 'application/json',
        'x-auth-token': await this.options.session.authToken(),
      };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (service === 'compute') {
        headers['openstack-api-version'] = `compute ${this.options.computeMicroversion ?? '2.47'}`;
      }
      try {
        return await this.fetch(url, {
          method,
          headers,
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 30_000),
        });
      } catch (error) {
        throw mapOpenStackTransport(url, error);
      }
    };
    let res = await attempt();
    if (res.status === 401) {
      // the token was revoked or expired early: authenticate again, once
      await res.arrayBuffer();
      this.options.session.invalidate();
      res = await attempt();
    }
    const text = await res.text().catch((error: unknown) => {
      throw mapOpenStackTransport(url, error);
    });
    if (!res.ok) throw mapOpenStackError(res.status, text, res.headers.get('retry-after'));
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
