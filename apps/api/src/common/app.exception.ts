/** The error codes of Switchyard's API, mapped to HTTP statuses in one place. */
export enum ErrorCode {
  Invalid = 'INVALID',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  IdempotencyMismatch = 'IDEMPOTENCY_MISMATCH',
  RateLimited = 'RATE_LIMITED',
  Unavailable = 'UNAVAILABLE',
  QuotaExceeded = 'QUOTA_EXCEEDED',
}

export const ERROR_STATUS: { readonly [C in ErrorCode]: number } = {
  [ErrorCode.Invalid]: 400,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.UnsupportedMediaType]: 415,
  [ErrorCode.IdempotencyMismatch]: 422,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.Unavailable]: 503,
  // the current usage leaves no room: a conflict with the state, not a bad request
  [ErrorCode.QuotaExceeded]: 409,
};

export interface ErrorDetail {
  path: string;
  message: string;
  // Where in a submitted text (e.g. a YAML blueprint) the problem is, 1-based.
  line?: number;
  column?: number;
}

/** A domain error that the API answers with its code's status and the common error body. */
export class AppException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** For 429 and 503: when to try again, sent as Retry-After. */
    readonly retryAfterSeconds?: number,
    /** Fields the body carries beside the common ones (e.g. `code` and `quota` of a quota refusal). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppException';
  }

  static rateLimited(message: string, retryAfterSeconds: number): AppException {
    return new AppException(ErrorCode.RateLimited, message, [], Math.max(1, Math.ceil(retryAfterSeconds)));
  }

  static invalid(details: ErrorDetail[], message = 'The request is invalid'): AppException {
    return new AppException(ErrorCode.Invalid, message, details);
  }

  static notFound(what: string): AppException {
    return new AppException(ErrorCode.NotFound, `${what} not found`);
  }

  static conflict(message: string, details: ErrorDetail[] = []): AppException {
    return new AppException(ErrorCode.Conflict, message, details);
  }
}
