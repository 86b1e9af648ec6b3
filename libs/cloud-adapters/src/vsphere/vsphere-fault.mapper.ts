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

const auth = new Set([
  'InvalidLogin',
  'NotAuthenticated',
  'NoPermission',
  'InvalidLocale',
  'PasswordExpired',
]);
const notFound = new Set(['ManagedObjectNotFound', 'NotFound', 'FileNotFound', 'InvalidDatastorePath']);
const capacity = new Set([
  'InsufficientResourcesFault',
  'InsufficientHostCapacityFault',
  'InsufficientCpuResourcesFault',
  'InsufficientMemoryResourcesFault',
  'InsufficientStorageSpace',
  'NoDiskSpace',
  'NoCompatibleHost',
]);
const quota = new Set(['LicenseRestricted', 'VmLimitLicense', 'ExpiredFeatureLicense']);
// a port group with VMs on it refuses Destroy_Task
const inUse = new Set(['ResourceInUse']);
const transient = new Set([
  'HostCommunication',
  'HostNotConnected',
  'HostNotReachable',
  'TaskInProgress',
  'ConcurrentAccess',
  'SystemError',
  'RequestCanceled',
]);

/** Maps a vim25 fault, named by its `xsi:type`, to a CloudError. */
export function mapVsphereFault(faultType: string, message: string, httpStatus?: number): CloudError {
  const details: CloudErrorDetails = {
    provider: 'vsphere',
    cloudCode: faultType,
    cloudMessage: message,
    ...(httpStatus !== undefined ? { httpStatus } : {}),
  };
  if (auth.has(faultType)) return new AuthFailed(details);
  if (notFound.has(faultType)) return new NotFound(details);
  if (capacity.has(faultType)) return new CapacityUnavailable(details);
  if (quota.has(faultType)) return new QuotaExceeded(details);
  if (inUse.has(faultType)) return new InUse(details);
  if (transient.has(faultType)) return new Unavailable(details);
  return new InvalidRequest(details);
}

const tlsCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Maps an HTTP status without a SOAP fault, or a socket error, to a CloudError. */
export function mapVsphereTransport(
  url: string,
  status: number | undefined,
  error?: unknown,
  retryAfter?: string,
): CloudError {
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : `HTTP ${status ?? '?'}`;
  const seconds = Number(retryAfter);
  const details = (cloudCode: string): CloudErrorDetails => ({
    provider: 'vsphere',
    cloudCode,
    cloudMessage: message,
    ...(status !== undefined ? { httpStatus: status } : {}),
    ...(Number.isFinite(seconds) && seconds > 0 ? { retryAfterMs: seconds * 1000 } : {}),
    cause: error,
  });
  if (typeof code === 'string' && tlsCodes.has(code)) {
    // never downgraded silently: the account must name its CA (caCert) or opt into `insecure`
    return new InvalidRequest({
      ...details(code),
      cloudMessage: `TLS certificate of ${url} not accepted (${message}); configure caCert or insecure`,
    });
  }
  if (status === 429) return new Throttled(details('HTTP429'));
  if (status === 401 || status === 403) return new AuthFailed(details(`HTTP${status}`));
  if (status === 404) return new NotFound(details('HTTP404'));
  if (status === undefined || status >= 500) {
    return new Unavailable(details(typeof code === 'string' ? code : `HTTP${status ?? 0}`));
  }
  return new InvalidRequest(details(`HTTP${status}`));
}
