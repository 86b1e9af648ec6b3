/** The agent's error codes (the contract's), each with its one HTTP status. */
export enum AgentErrorCode {
  NotFound = 'NotFound',
  InUse = 'InUse',
  InvalidParameter = 'InvalidParameter',
  Conflict = 'Conflict',
  Unavailable = 'Unavailable',
  Unauthorized = 'Unauthorized',
  Internal = 'Internal',
}

export const AGENT_ERROR_STATUS: Record<AgentErrorCode, number> = {
  [AgentErrorCode.NotFound]: 404,
  [AgentErrorCode.InUse]: 409,
  [AgentErrorCode.InvalidParameter]: 400,
  [AgentErrorCode.Conflict]: 409,
  [AgentErrorCode.Unavailable]: 503,
  [AgentErrorCode.Unauthorized]: 401,
  [AgentErrorCode.Internal]: 500,
};

/** One bad field of a request, by its path in the body (`userData.write_files[0].path`). */
export interface FieldProblem {
  path: string;
  message: string;
}

export class AgentError extends Error {
  constructor(
    readonly code: AgentErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AgentError';
  }

  static invalid(fields: FieldProblem[]): AgentError {
    const message = fields.map((f) => `${f.path}: ${f.message}`).join('; ');
    return new AgentError(AgentErrorCode.InvalidParameter, message, { fields });
  }

  static notFound(what: string): AgentError {
    return new AgentError(AgentErrorCode.NotFound, `${what} not found`);
  }
}
