import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { AppException, ERROR_STATUS, ErrorCode } from './app.exception.js';
import { errorBody, type ErrorBody } from './error-body.js';
import { postgresDataErrorBody } from './postgres-data-error.js';

/**
 * Every error leaves the API through here: domain errors and Nest's HTTP errors get the common
 * body; anything else is a 500 that carries only an error id, the details going to the log.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    if (res.headersSent) return;
    const known = this.toBody(exception) ?? postgresDataErrorBody(exception, req);
    if (known) {
      if (known.statusCode === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="switchyard"');
      if (exception instanceof AppException && exception.retryAfterSeconds !== undefined) {
        res.setHeader('Retry-After', String(exception.retryAfterSeconds));
      }
      res.status(known.statusCode).json(known);
      return;
    }
    const errorId = randomUUID();
    this.logger.error(
      { errorId, err: exception, method: req.method, url: req.originalUrl },
      'unexpected error',
    );
    res.status(500).json({ statusCode: 500, error: 'Internal Server Error', errorId });
  }

  private toBody(exception: unknown): ErrorBody | undefined {
    // Nest wraps what a body parser's verify threw (e.g. JSON_LIMITS) in an HttpException
    if (exception instanceof HttpException && exception.cause instanceof AppException)
      return this.toBody(exception.cause);
    if (exception instanceof AppException) {
      return {
        ...errorBody(ERROR_STATUS[exception.code], exception.message, exception.details),
        ...exception.extra,
      };
    }
    const parserError = bodyParserError(exception);
    if (parserError) return parserError;
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message =
        typeof response === 'object' &&
        response &&
        'message' in response &&
        typeof response.message === 'string'
          ? response.message
          : exception.message;
      if (status === 404) return errorBody(status, 'Route not found');
      // Nest's own 400s (e.g. a body that is not JSON) concern the request as a whole
      return errorBody(status, message, status === 400 ? [{ path: '', message }] : []);
    }
    if (exception instanceof HttpException && exception.getStatus() === 503) {
      return errorBody(503, exception.message);
    }
    return undefined;
  }
}

/** body-parser throws plain errors with a `type` and `status`; they are the client's fault. */
function bodyParserError(exception: unknown): ErrorBody | undefined {
  if (!(exception instanceof Error) || !('type' in exception) || !('status' in exception)) return undefined;
  const status = Number(exception.status);
  if (!(status >= 400 && status < 500)) return undefined;
  switch (exception.type) {
    case 'entity.parse.failed':
      return errorBody(400, 'The body is not valid JSON', [{ path: '', message: exception.message }]);
    case 'entity.too.large':
      return errorBody(ERROR_STATUS[ErrorCode.PayloadTooLarge], 'The body is too large');
    default:
      return errorBody(status, exception.message);
  }
}
