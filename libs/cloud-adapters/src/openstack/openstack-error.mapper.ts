import {
  AuthFailed,
  CapacityUnavailable,
  InUse,
  InvalidRequest,
  NotFound,
  QuotaExceeded,
  Throttled,
  Unavailable,
  type CloudError,
  type CloudErrorDetails,
} from '../adapter/cloud.exception.js';

/** Pulls code and message out of the error bodies of Keystone, Nova, Neutron and Glance. */
export function parseOpenStackError(status: number, body: string): { code: string; message: string } {
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    const neutron = json.NeutronError as { type?: string; message?: string } | undefined;
    if (neutron) return { code: neutron.type ?? `HTTP${status}`, message: neutron.message ?? body };
    const keystone = json.error as { title?: string; message?: string } | undefined;
    if (keystone?.message) return { code: keystone.title ?? `HTTP${status}`, message: keystone.message };
    // Nova: {"itemNotFound": {"code": 404, "message": "..."}}
    const [kind, inner] = Object.entries(json)[0] ?? [];
    const message = (inner as { message?: unknown } | undefined)?.message;
    if (kind && typeof message === 'string') return { code: kind, message };
  } catch {
    // Glance and proxies answer in text or HTML
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

/** Maps an OpenStack HTTP error answer to a CloudError. */
export function mapOpenStackError(status: number, body: string, retryAfter?: string | null): CloudError {
  const { code, message } = parseOpenStackError(status, body);
  const seconds = Number(retryAfter);
  const details: CloudErrorDetails = {
    provider: 'openstack',
    cloudCode: code,
    cloudMessage: message,
    httpStatus: status,
    ...(Number.isFinite(seconds) && seconds > 0 ? { retryAfterMs: seconds * 1000 } : {}),
  };
  const quota = /quota|OverQuota|over.?limit/i;
  if (status === 401) return new AuthFailed(details);
  if (status === 429) return new Throttled(details);
  if (status === 413 || quota.test(code) || (status === 403 && quota.test(message))) {
    return new QuotaExceeded(details);
  }
  if (status === 403) return new AuthFailed(details);
  if (status === 404) return new NotFound(details);
  if (/no valid host|insufficient/i.test(message)) return new CapacityUnavailable(details);
  // Neutron's NetworkInUse, SubnetInUse, SecurityGroupInUse… (an address in use is a plain conflict)
  if (status === 409 && /^(Network|Subnet|SecurityGroup)InUse$/.test(code)) return new InUse(details);
  if (status >= 500) return new Unavailable(details);
  return new InvalidRequest(details);
}

/** Maps a fetch failure (no answer: refused, reset, timed out) to Unavailable. */
export function mapOpenStackTransport(url: string, error: unknown): CloudError {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const name = (error as { name?: unknown } | undefined)?.name;
  const code =
    typeof cause?.code === 'string' ? cause.code : name === 'TimeoutError' ? 'ETIMEDOUT' : 'NetworkError';
  const message = typeof cause?.message === 'string' ? cause.message : String(error);
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(code)) {
    return new InvalidRequest({
      provider: 'openstack',
      cloudCode: code,
      cloudMessage: `TLS certificate of ${url} not accepted (${message}); configure caCert or insecure`,
      cause: error,
    });
  }
  return new Unavailable({
    provider: 'openstack',
    cloudCode: code,
    cloudMessage: `${url}: ${message}`,
    cause: error,
  });
}
