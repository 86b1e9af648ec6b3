import { ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { FABRIC_ERROR_HTTP_STATUS, FabricError, type FabricErrorDetails } from '@switchyard/network-fabric';
import type { Response } from 'express';
import type { ErrorDetail } from '../common/app.exception.js';
import { errorBody } from '../common/error-body.js';

/**
 * The one place FabricError codes become HTTP: the library's exhaustive code → status table, and
 * the common error body. Field issues become `details`; for deletions refused while in use, each
 * dependent kind becomes a detail too, so clients need not parse the message.
 */
@Catch(FabricError)
export class FabricExceptionFilter implements ExceptionFilter<FabricError> {
  catch(error: FabricError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    const status = FABRIC_ERROR_HTTP_STATUS[error.code];
    res.status(status).json(errorBody(status, error.message, fabricErrorDetails(error.details)));
  }
}

export function fabricErrorDetails(details: FabricErrorDetails): ErrorDetail[] {
  const issues = details.issues ?? [];
  const dependents = Object.entries(details.dependents ?? {}).map(([kind, count]) => ({
    path: kind,
    message: `${count} still depend on it`,
  }));
  return [...issues, ...dependents];
}
