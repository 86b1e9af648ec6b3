/** What went wrong, independent of transport; the REST layer maps each code to one HTTP status. */
export enum FabricErrorCode {
  /** A field breaks a validation rule (details: the issues). */
  Invalid = 'INVALID',
  /** The object, or one it refers to, does not exist. */
  NotFound = 'NOT_FOUND',
  /** The request contradicts existing state: overlap, duplicate, immutable field, address in use. */
  Conflict = 'CONFLICT',
  /** Deletion refused while other objects depend on the object (details: who and how many). */
  InUse = 'IN_USE',
  /** No free address or tag is left in the subnet, pool or range. */
  Exhausted = 'EXHAUSTED',
}

/** One broken rule: the Contiv field (dotted path for nested values) and what is wrong with it. */
export interface FieldIssue {
  path: string;
  message: string;
}

export interface FabricErrorDetails {
  issues?: FieldIssue[];
  /** For IN_USE: dependent kind → count, e.g. `{ endpointGroups: 2, serviceLBs: 1 }`. */
  dependents?: Record<string, number>;
  [key: string]: unknown;
}

/**
 * HTTP status per code. EXHAUSTED is 409: the request is valid but the current state of the
 * pool cannot satisfy it (like a conflict), and it is not the client's syntax (400).
 */
export const FABRIC_ERROR_HTTP_STATUS: Readonly<Record<FabricErrorCode, 400 | 404 | 409>> = {
  [FabricErrorCode.Invalid]: 400,
  [FabricErrorCode.NotFound]: 404,
  [FabricErrorCode.Conflict]: 409,
  [FabricErrorCode.InUse]: 409,
  [FabricErrorCode.Exhausted]: 409,
};

/** The one error type the fabric throws for anything a client did or asked. */
export class FabricError extends Error {
  override readonly name = 'FabricError';
  /** What an INVALID error's message names ("invalid endpoint: ..."), to rebuild it on rename. */
  #subject?: string;

  constructor(
    readonly code: FabricErrorCode,
    message: string,
    readonly details: FabricErrorDetails = {},
  ) {
    super(message);
  }

  /** A validation failure listing every issue at once. */
  static invalid(issues: FieldIssue[], what = 'request'): FabricError {
    const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    const error = new FabricError(FabricErrorCode.Invalid, `invalid ${what}: ${summary}`, { issues });
    error.#subject = what;
    return error;
  }

  /**
   * The same error with the issues' paths renamed, for an edge whose request names its fields
   * otherwise than the typed API does (Contiv's plugin bodies); an INVALID message names the new paths.
   */
  withPaths(names: Readonly<Record<string, string>>): FabricError {
    const issues = this.details.issues;
    if (!issues) return this;
    const renamed = issues.map((i) => ({ ...i, path: names[i.path] ?? i.path }));
    if (this.#subject !== undefined) return FabricError.invalid(renamed, this.#subject);
    return new FabricError(this.code, this.message, { ...this.details, issues: renamed });
  }

  static notFound(message: string): FabricError {
    return new FabricError(FabricErrorCode.NotFound, message);
  }

  static conflict(message: string, details: FabricErrorDetails = {}): FabricError {
    return new FabricError(FabricErrorCode.Conflict, message, details);
  }

  static exhausted(message: string, details: FabricErrorDetails = {}): FabricError {
    return new FabricError(FabricErrorCode.Exhausted, message, details);
  }

  /** `network "net1" is used by 2 endpoint groups, 1 service LB`. */
  static inUse(subject: string, dependents: Record<string, number>, verb = 'is used by'): FabricError {
    const parts = Object.entries(dependents)
      .filter(([, n]) => n > 0)
      .map(([label, n]) => `${n} ${n === 1 ? singular(label) : label}`);
    return new FabricError(FabricErrorCode.InUse, `${subject} ${verb} ${parts.join(', ')}`, {
      dependents: Object.fromEntries(Object.entries(dependents).filter(([, n]) => n > 0)),
    });
  }

  /** The JSON body the REST layer answers with. */
  toJSON(): { code: FabricErrorCode; message: string; details: FabricErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

function singular(label: string): string {
  if (label.endsWith('addresses')) return label.slice(0, -2);
  if (label.endsWith('policies')) return label.slice(0, -3) + 'y';
  return label.endsWith('s') ? label.slice(0, -1) : label;
}
