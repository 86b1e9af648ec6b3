import {
  AuthFailed,
  InUse,
  InvalidRequest,
  NotFound,
  Throttled,
  Unavailable,
  type CloudError,
  type CloudErrorDetails,
} from '../adapter/cloud.exception.js';

/** The agent's error body: `{ error: { code, message, details } }` (the host agent's contract). */
interface AgentErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

/** Code and message of an agent's error answer; text or HTML from a proxy is cut down to a line. */
export function parseAgentError(status: number, body: string): { code: string; message: string } {
  try {
    const { error } = JSON.parse(body) as AgentErrorBody;
    if (error && typeof error.code === 'string') {
      const fields = (error.details as { fields?: Array<{ path?: unknown; message?: unknown }> } | undefined)
        ?.fields;
      const named = Array.isArray(fields)
        ? fields.map((f) => `${String(f.path)}: ${String(f.message)}`).join('; ')
        : '';
      const message = typeof error.message === 'string' ? error.message : body;
      return { code: error.code, message: named ? `${message} (${named})` : message };
    }
  } catch {
    // not the agent answering (a proxy, a wrong URL)
  }
  return {
    code: `HTTP${status}`,
    message: body
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 500),
  };
}

/** Maps an error answer of the host agent to a CloudError. */
export function mapAgentError(status: number, body: string, retryAfter?: string | null): CloudError {
  const { code, message } = parseAgentError(status, body);
  const seconds = Number(retryAfter);
  const details: CloudErrorDetails = {
    provider: 'linux-host',
    cloudCode: code,
    cloudMessage: message,
    httpStatus: status,
    ...(Number.isFinite(seconds) && seconds > 0 ? { retryAfterMs: seconds * 1000 } : {}),
  };
  if (status === 401 || status === 403) return new AuthFailed(details);
  if (status === 429) return new Throttled(details);
  if (code === 'NotFound' || status === 404) return new NotFound(details);
  if (code === 'InUse') return new InUse(details);
  if (code === 'Unavailable' || status >= 500) return new Unavailable(details);
  // InvalidParameter, Conflict (another body for an existing name), anything else of 4xx
  return new InvalidRequest(details);
}

/** Maps a failed call with no answer (refused, reset, timed out) to Unavailable. */
export function mapAgentTransport(url: string, error: unknown): CloudError {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const name = (error as { name?: unknown } | undefined)?.name;
  const code =
    typeof cause?.code === 'string' ? cause.code : name === 'TimeoutError' ? 'ETIMEDOUT' : 'NetworkError';
  const message = typeof cause?.message === 'string' ? cause.message : String(error);
  return new Unavailable({
    provider: 'linux-host',
    cloudCode: code,
    cloudMessage: `${url}: ${message}`,
    cause: error,
  });
}
