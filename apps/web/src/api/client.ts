import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

export type { components, paths } from './schema';

// The session lives in an HttpOnly cookie the page cannot read (issue #11); the page only reads
// the CSRF token beside it and echoes it on every change, which another site's page cannot do.
const CSRF_COOKIE = 'syd_csrf';
const CSRF_HEADER = 'X-CSRF-Token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The CSRF token of this browser's session, or null when signed out. */
export function csrfToken(): string | null {
  for (const piece of document.cookie.split(';')) {
    const eq = piece.indexOf('=');
    if (eq > 0 && piece.slice(0, eq).trim() === CSRF_COOKIE) return piece.slice(eq + 1).trim() || null;
  }
  return null;
}

/** One problem the API named: a dot path into the request and what is wrong there. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** The API's error body, `{statusCode, error, message, details}`, as a thrown error. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: FieldProblem[] = [],
    readonly errorId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Details under `prefix.` keyed by the rest of their path (`parameters.appCount` → `appCount`). */
  fieldErrors(prefix = ''): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.details) {
      if (prefix && !d.path.startsWith(`${prefix}.`)) continue;
      const key = prefix ? d.path.slice(prefix.length + 1) : d.path;
      out[key] ??= d.message;
    }
    return out;
  }
}

const csrf: Middleware = {
  onRequest({ request }) {
    const token = csrfToken();
    if (token && !SAFE_METHODS.has(request.method)) request.headers.set(CSRF_HEADER, token);
    return request;
  },
};

// the session cookie goes with every request to this origin, and to no other
export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });
api.use(csrf);

export function toApiError(status: number, body: unknown): ApiError {
  const b = (body ?? {}) as { message?: unknown; details?: unknown; errorId?: unknown };
  const message =
    typeof b.message === 'string' ? b.message : status === 0 ? 'The API did not answer' : `HTTP ${status}`;
  const details = Array.isArray(b.details)
    ? (b.details as FieldProblem[]).filter((d) => typeof d?.path === 'string')
    : [];
  return new ApiError(status, message, details, typeof b.errorId === 'string' ? b.errorId : undefined);
}

/** Unwraps an openapi-fetch answer: its data (typed as `T` where the document has no schema), or throws. */
export async function call<T>(
  pending: Promise<{ data?: unknown; error?: unknown; response: Response }>,
): Promise<T> {
  let result;
  try {
    result = await pending;
  } catch (err) {
    throw new ApiError(0, `The API did not answer (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!result.response.ok) {
    if (result.response.status === 401) window.dispatchEvent(new Event('switchyard:unauthorized'));
    throw toApiError(result.response.status, result.error);
  }
  return result.data as T;
}

export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    const id = err.errorId ? ` (error id ${err.errorId})` : '';
    return `${err.message}${id}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** The message and every problem the API named with it: "The blueprint cannot be planned so: tiers.web.size …". */
export function errorWithDetails(err: unknown): string {
  if (!(err instanceof ApiError) || err.details.length === 0) return errorText(err);
  return `${err.message}: ${err.details.map((d) => `${d.path} ${d.message}`).join('; ')}`;
}
