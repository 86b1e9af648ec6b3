import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { LoggerModule } from 'nestjs-pino';
import { stdTimeFunctions } from 'pino';

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

/** JSON logs (pino); every line logged while serving a request carries its requestId. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
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
        },
      }),
    }),
  ],
})
export class LoggingModule {}
