import { isCloudError } from '../adapter/cloud.exception.js';
import { withRetry, type RetryClock, type RetryPolicy } from '../adapter/retry.util.js';
import type { FetchLike } from '../openstack/keystone.session.js';
import { mapAgentError, mapAgentTransport } from './linux-host-error.mapper.js';

export interface AgentHttpOptions {
  /** The agent's base URL, e.g. `http://10.0.0.5:7471`. */
  agentUrl: string;
  /** The agent's bearer token (AGENT_TOKEN). */
  token: string;
  retry: RetryPolicy;
  clock: RetryClock;
  requestTimeoutMs?: number;
  fetch?: FetchLike;
}

/** A request body: its content type and text. */
interface Payload {
  contentType: string;
  text: string;
}

const json = (body: unknown): Payload => ({ contentType: 'application/json', text: JSON.stringify(body) });

/**
 * JSON over HTTP to one host agent, with its token. Every call of the agent's API is idempotent
 * (creates carry an idempotency key, networks are PUT by name, deletes of gone things succeed), so
 * every call is retried on Throttled/Unavailable.
 */
export class AgentHttp {
  private readonly fetch: FetchLike;
  private readonly base: string;

  constructor(private readonly options: AgentHttpOptions) {
    this.fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.base = options.agentUrl.replace(/\/+$/, '');
  }

  get<T>(path: string): Promise<T> {
    return this.retried(() => this.send<T>('GET', path));
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.retried(() => this.send<T>('PUT', path, json(body)));
  }

  /** PUT of a text body as it is (a ruleset for `nft -f`). */
  putText(path: string, contentType: string, text: string): Promise<void> {
    return this.retried(() => this.send<void>('PUT', path, { contentType, text }));
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.retried(() => this.send<T>('POST', path, body === undefined ? undefined : json(body)));
  }

  /** DELETE; a resource already gone counts as deleted. */
  async delete(path: string): Promise<void> {
    await this.retried(async () => {
      try {
        await this.send('DELETE', path);
      } catch (error) {
        if (!(isCloudError(error) && error.code === 'NotFound')) throw error;
      }
    });
  }

  private retried<T>(call: () => Promise<T>): Promise<T> {
    return withRetry(call, this.options.retry, this.options.clock);
  }

  private async send<T>(method: string, path: string, payload?: Payload): Promise<T> {
    const url = `${this.base}${path}`;
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${this.options.token}`,
    };
    if (payload) headers['content-type'] = payload.contentType;
    let res: Response;
    let text: string;
    try {
      res = await this.fetch(url, {
        method,
        headers,
        ...(payload ? { body: payload.text } : {}),
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 30_000),
      });
      text = await res.text();
    } catch (error) {
      throw mapAgentTransport(`${method} ${url}`, error);
    }
    if (!res.ok) throw mapAgentError(res.status, text, res.headers.get('retry-after'));
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw mapAgentTransport(`${method} ${url} (not JSON)`, error);
    }
  }
}
