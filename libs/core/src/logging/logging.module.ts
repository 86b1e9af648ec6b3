import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { LoggerModule } from 'nestjs-pino';
import type { Options } from 'pino-http';
import { stdTimeFunctions } from 'pino';
import { isPrettyLogFormat, prettyLogDestination } from './log-format.js';

export {
  formatLogRecord,
  isPrettyLogFormat,
  prettyLogDestination,
  type PrettyOptions,
} from './log-format.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** A caller's X-Request-Id when it looks sane, else a new one; echoed back in the answer. */
function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

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

/** The pino-http options: levels, request ids, what is redacted, which requests are logged. */
function pinoOptions(config: AppConfig): Options {
  return {
    level: config.logLevel,
    timestamp: stdTimeFunctions.isoTime,
    genReqId: requestId,
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    redact: { paths: [...LOG_REDACT_PATHS] },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    autoLogging: { ignore: (req) => req.url === '/health/live' || req.url === '/metrics' },
  };
}

/**
 * pino logs: JSON lines, or one short line per record for people (LOG_FORMAT; `auto` looks at
 * whether stdout is a terminal). Every line logged while serving a request carries its requestId.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const terminal = process.stdout.isTTY === true;
        if (!isPrettyLogFormat(config.logFormat, terminal)) return { pinoHttp: pinoOptions(config) };
        return {
          pinoHttp: [pinoOptions(config), prettyLogDestination(process.stdout, { color: terminal })],
        };
      },
    }),
  ],
})
export class LoggingModule {}
