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
          redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'],
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
