import {
  type Accept,
  type AnswerOf,
  type CallArgs,
  type CallOptions,
  fillPath,
  type Method,
  type PathOf,
  queryString,
} from './api-contract.js';

/** The CLI's HTTP client for Switchyard's API: token auth, JSON, errors as CliApiError. */
export interface ErrorDetail {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export class CliApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

export interface Reply<T> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * Calls name a path of the contract (`/api/v1/deployments/{id}`) with its values; the body and
 * the answer have the contract's types.
 */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | undefined,
  ) {}

  /** The auth header, for callers that stream with fetch themselves. */
  authHeaders(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  async request<M extends Method, P extends PathOf<M>, A extends Accept = 'application/json'>(
    method: M,
    path: P,
    ...[options]: CallArgs<P, M, A>
  ): Promise<Reply<AnswerOf<P, M, A>>> {
    const { accept, body, headers = {}, query, trailingSlash } = (options ?? {}) as CallOptions<P, M, A>;
    const filled = fillPath(path, (options as { path?: Record<string, unknown> } | undefined)?.path);
    const url = `${filled}${trailingSlash ? '/' : ''}${queryString(query)}`;
    const h = { accept: accept ?? 'application/json', ...headers };
    return this.send<AnswerOf<P, M, A>>(method.toUpperCase(), url, body, h);
  }

  get<P extends PathOf<'get'>, A extends Accept = 'application/json'>(
    path: P,
    ...args: CallArgs<P, 'get', A>
  ) {
    return this.request<'get', P, A>('get', path, ...args);
  }

  post<P extends PathOf<'post'>, A extends Accept = 'application/json'>(
    path: P,
    ...args: CallArgs<P, 'post', A>
  ) {
    return this.request<'post', P, A>('post', path, ...args);
  }

  put<P extends PathOf<'put'>, A extends Accept = 'application/json'>(
    path: P,
    ...args: CallArgs<P, 'put', A>
  ) {
    return this.request<'put', P, A>('put', path, ...args);
  }

  patch<P extends PathOf<'patch'>, A extends Accept = 'application/json'>(
    path: P,
    ...args: CallArgs<P, 'patch', A>
  ) {
    return this.request<'patch', P, A>('patch', path, ...args);
  }

  delete<P extends PathOf<'delete'>, A extends Accept = 'application/json'>(
    path: P,
    ...args: CallArgs<P, 'delete', A>
  ) {
    return this.request<'delete', P, A>('delete', path, ...args);
  }

  private async send<T>(
    method: string,
    url: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<Reply<T>> {
    const h: Record<string, string> = { ...headers };
    if (this.token) h.authorization = `Bearer ${this.token}`;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    let res: Response;
    try {
      res = await fetch(new URL(url, this.baseUrl), { method, headers: h, body: payload });
    } catch (err) {
      throw new CliApiError(
        0,
        `cannot reach Switchyard at ${this.baseUrl}: ${(err as Error).cause ?? (err as Error).message}`,
      );
    }
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    const parsed: unknown = type.includes('json') && text ? JSON.parse(text) : text;
    if (!res.ok) {
      const e = (typeof parsed === 'object' && parsed ? parsed : {}) as {
        message?: string;
        details?: ErrorDetail[];
        errorId?: string;
      };
      const message = e.message ?? (e.errorId ? `internal error (id ${e.errorId})` : `HTTP ${res.status}`);
      throw new CliApiError(res.status, message, e.details ?? []);
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
}
