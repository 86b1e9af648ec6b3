/**
 * CNI's error codes (spec 1.1.0, "Well-known Error Codes") and Switchyard's own (100 and up).
 * An error leaves the plugin as `{cniVersion, code, msg, details}` on standard output with a
 * non-zero exit status.
 */
export const CniCode = {
  IncompatibleVersion: 1,
  UnsupportedField: 2,
  UnknownContainer: 3,
  InvalidEnvironment: 4,
  IoFailure: 5,
  DecodeFailure: 6,
  InvalidConfig: 7,
  TryAgainLater: 11,
  NotAvailable: 50,
  NotAvailableLimitedConnectivity: 51,
  // Switchyard's
  /** The fabric refused the request (a 4xx other than 401/403/404), e.g. the subnet is full. */
  FabricRefused: 100,
  /** The token was refused (401) or may not do this (403). */
  Unauthorized: 101,
  /** The tenant, network or group named in the configuration does not exist. */
  NotFoundInFabric: 102,
  /** CHECK: the container's interface, address, route or host side is missing or wrong. */
  InterfaceMismatch: 110,
  /** CHECK: the fabric no longer holds the attachment's address. */
  ReservationMissing: 111,
  /** A kernel call (ip, nft) failed. */
  KernelCallFailed: 120,
  /** GC: some stale attachments could not be removed (the others were). */
  GarbageCollectionIncomplete: 130,
  /** Anything else (a bug): the message says what. */
  Unexpected: 199,
} as const;
export type CniCode = (typeof CniCode)[keyof typeof CniCode];

export class CniError extends Error {
  constructor(
    readonly code: CniCode,
    readonly msg: string,
    readonly details = '',
  ) {
    super(details ? `${msg}: ${details}` : msg);
  }

  toJSON(cniVersion: string): { cniVersion: string; code: number; msg: string; details?: string } {
    return { cniVersion, code: this.code, msg: this.msg, ...(this.details ? { details: this.details } : {}) };
  }
}
