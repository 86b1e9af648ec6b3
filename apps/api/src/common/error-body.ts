import { STATUS_CODES } from 'node:http';
import type { ErrorDetail } from './app.exception.js';

/** The one error body of Switchyard's API (every 4xx). */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details: ErrorDetail[];
}

export function errorBody(statusCode: number, message: string, details: ErrorDetail[] = []): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, details };
}
