import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { LoggerModule } from 'nestjs-pino';
import type { Options } from 'pino-http';
import { stdTimeFunctions } from 'pino';
import { isPrettyLogFormat, prettyLogDestination } from './log-format.js';

export { requestIdOf, requestLogging } from './request-log.js';
export {
  formatLogRecord,
  isPrettyLogFormat,
  prettyLogDestination,
  type PrettyOptions,
} from './log-format.js';

/**
 * What never reaches a log line. Bodies are not logged at all (the req serializer keeps method
 * and url); these paths also guard against a body, a secret field or a failed query's parameters
 * (a password hash, a sealed credential) getting into one some other way.
 */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.body',
  'body',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.passwordHash',
  '*.password_hash',
  'err.parameters',
  'err.driverError.parameters',
] as const;

/** The root logger's options: level, time format, what is redacted. */
function pinoOptions(config: AppConfig): Options {
  return {
    level: config.logLevel,
    timestamp: stdTimeFunctions.isoTime,
    redact: { paths: [...LOG_REDACT_PATHS] },
  };
}

/**
 * pino logs: JSON lines, or one short line per record for people (LOG_FORMAT; `auto` looks at
 * whether stdout is a terminal). An HTTP application mounts `requestLogging` (request-log.ts)
 * first: it gives each request its id and `req.log`, which this module (useExisting) binds to the
 * request's context, so every line logged while serving a request carries its requestId.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const terminal = process.stdout.isTTY === true;
        if (!isPrettyLogFormat(config.logFormat, terminal))
          return { pinoHttp: pinoOptions(config), useExisting: true };
        return {
          pinoHttp: [pinoOptions(config), prettyLogDestination(process.stdout, { color: terminal })],
          useExisting: true,
        };
      },
    }),
  ],
})
export class LoggingModule {}
