/** The provider-neutral error kinds every adapter translates its cloud's errors into. */
export enum CloudErrorCode {
  AuthFailed = 'AuthFailed',
  NotFound = 'NotFound',
  CapacityUnavailable = 'CapacityUnavailable',
  QuotaExceeded = 'QuotaExceeded',
  Throttled = 'Throttled',
  Unavailable = 'Unavailable',
  InvalidRequest = 'InvalidRequest',
  InUse = 'InUse',
  DeadlineExceeded = 'DeadlineExceeded',
}

export type CloudProvider = 'aws-ec2' | 'openstack' | 'vsphere' | 'linux-host';

export interface CloudErrorDetails {
  provider: CloudProvider;
  /** The cloud's own error code (e.g. `InvalidInstanceID.NotFound`, `InvalidLogin`, HTTP 404). */
  cloudCode: string;
  /** The cloud's own message, as it sent it. */
  cloudMessage: string;
  /** HTTP status of the failed call, when there was one. */
  httpStatus?: number;
  /** A delay the cloud asked for (Retry-After), in milliseconds. */
  retryAfterMs?: number;
  cause?: unknown;
}

/** Base of every adapter error; nothing above an adapter sees an SDK or wire error. */
export abstract class CloudError extends Error {
  abstract readonly code: CloudErrorCode;
  /** Whether the same call may succeed if repeated after a pause. */
  readonly retryable: boolean = false;
  readonly provider: CloudProvider;
  readonly cloudCode: string;
  readonly cloudMessage: string;
  readonly httpStatus: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(details: CloudErrorDetails) {
    super(`${details.provider}: ${details.cloudCode}: ${details.cloudMessage}`, { cause: details.cause });
    this.name = new.target.name;
    this.provider = details.provider;
    this.cloudCode = details.cloudCode;
    this.cloudMessage = details.cloudMessage;
    this.httpStatus = details.httpStatus;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** The cloud rejected the credentials (or the session expired and could not be renewed). */
export class AuthFailed extends CloudError {
  readonly code = CloudErrorCode.AuthFailed;
}
/** The named resource does not exist (any more). */
export class NotFound extends CloudError {
  readonly code = CloudErrorCode.NotFound;
}
/** The cloud has no room for the request right now (no valid host, insufficient capacity). */
export class CapacityUnavailable extends CloudError {
  readonly code = CloudErrorCode.CapacityUnavailable;
}
/** An account limit stops the request. */
export class QuotaExceeded extends CloudError {
  readonly code = CloudErrorCode.QuotaExceeded;
}
/** The cloud asked us to slow down; retried with backoff. */
export class Throttled extends CloudError {
  readonly code = CloudErrorCode.Throttled;
  override readonly retryable = true;
}
/** The cloud (or the way to it) failed transiently: 5xx, reset, timeout; retried with backoff. */
export class Unavailable extends CloudError {
  readonly code = CloudErrorCode.Unavailable;
  override readonly retryable = true;
}
/** The cloud refused the request as malformed or impossible in the resource's state. */
export class InvalidRequest extends CloudError {
  readonly code = CloudErrorCode.InvalidRequest;
}
/**
 * The resource cannot be removed while something still uses it (instances on a network or in a
 * security group): remove those first.
 */
export class InUse extends CloudError {
  readonly code = CloudErrorCode.InUse;
}
/** A wait (for a state, or for retries) ran past its deadline. */
export class DeadlineExceeded extends CloudError {
  readonly code = CloudErrorCode.DeadlineExceeded;
}

const codes = new Set<string>(Object.values(CloudErrorCode));

/** Realm-safe check (Jest may load classes twice): by shape, not by `instanceof`. */
export function isCloudError(error: unknown): error is CloudError {
  return (
    error instanceof Error &&
    codes.has((error as { code?: unknown }).code as string) &&
    typeof (error as { provider?: unknown }).provider === 'string'
  );
}

export function isRetryableCloudError(error: unknown): error is CloudError {
  return isCloudError(error) && error.retryable;
}
