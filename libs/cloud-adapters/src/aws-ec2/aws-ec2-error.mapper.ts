import {
  AuthFailed,
  CapacityUnavailable,
  CloudError,
  InUse,
  InvalidRequest,
  NotFound,
  QuotaExceeded,
  Throttled,
  Unavailable,
  isCloudError,
  type CloudErrorDetails,
} from '../adapter/cloud.exception.js';

const authCodes = new Set([
  'AuthFailure',
  'UnauthorizedOperation',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'MissingAuthenticationToken',
  'ExpiredToken',
  'RequestExpired',
  'CredentialsProviderError',
]);
const throttleCodes = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'SlowDown',
]);
const capacityCodes = new Set([
  'InsufficientInstanceCapacity',
  'InsufficientAddressCapacity',
  'InsufficientCapacity',
  'InsufficientHostCapacity',
  'InsufficientReservedInstanceCapacity',
]);
const unavailableCodes = new Set([
  'ServiceUnavailable',
  'Unavailable',
  'InternalError',
  'InternalFailure',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
]);

// a subnet or security group something still uses (instances, their network interfaces)
const inUseCodes = new Set(['DependencyViolation', 'InvalidGroup.InUse']);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string> };
}

/**
 * Translates an AWS SDK (or socket) error into a CloudError. Matches on `name`/`code`, never
 * `instanceof`: under Jest the SDK's classes may come from another realm.
 */
export function mapAwsError(error: unknown): CloudError {
  if (isCloudError(error)) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const message = typeof e.message === 'string' ? e.message : '';
  // a socket error from another realm reaches us re-wrapped, its name kept only in the message
  const wrapped = /^AWS SDK error wrapper for (\w+)/.exec(message)?.[1];
  const name = typeof e.name === 'string' && e.name !== 'Error' ? e.name : wrapped;
  const sysCode =
    typeof e.code === 'string'
      ? e.code
      : /\b(E[A-Z]{3,}|socket hang up)\b/.exec(message)?.[1]?.replace('socket hang up', 'ECONNRESET');
  const cloudCode = name ?? sysCode ?? 'Unknown';
  const status = e.$metadata?.httpStatusCode;
  const retryAfter = Number(e.$response?.headers?.['retry-after']);
  const details: CloudErrorDetails = {
    provider: 'aws-ec2',
    cloudCode,
    cloudMessage: message || String(error),
    ...(status !== undefined ? { httpStatus: status } : {}),
    ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
    cause: error,
  };
  const codes = [cloudCode, sysCode ?? ''];
  const has = (set: Set<string>) => codes.some((c) => set.has(c));

  if (has(authCodes)) return new AuthFailed(details);
  if (has(throttleCodes) || status === 429) return new Throttled(details);
  if (has(capacityCodes)) return new CapacityUnavailable(details);
  if (has(unavailableCodes) || (status !== undefined && status >= 500)) return new Unavailable(details);
  if (has(inUseCodes)) return new InUse(details);
  if (cloudCode.endsWith('LimitExceeded')) return new QuotaExceeded(details);
  if (cloudCode.endsWith('.NotFound') || cloudCode.endsWith('NotFound')) return new NotFound(details);
  if (status === 401 || status === 403) return new AuthFailed(details);
  return new InvalidRequest(details);
}
