import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Injectable } from '@nestjs/common';
import { guardedLookup, type AllowedTargets } from '@switchyard/core/webhooks';

export interface SendResult {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * One POST of a delivery: no redirects followed, a timeout on the whole exchange, the answer's
 * body read and dropped, internal addresses refused at
 * connect time unless allowed.
 */
@Injectable()
export class WebhookSender {
  send(
    url: string,
    headers: Record<string, string>,
    body: string,
    allowed: AllowedTargets,
    timeoutMs: number,
  ): Promise<SendResult> {
    const started = performance.now();
    const done = (statusCode: number | null, error: string | null): SendResult => ({
      statusCode,
      error,
      durationMs: Math.round(performance.now() - started),
    });
    return new Promise((resolve) => {
      const target = new URL(url);
      const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = request(
        target,
        {
          method: 'POST',
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            'user-agent': 'Switchyard-Webhooks/1',
          },
          lookup: guardedLookup(allowed) as never,
          timeout: timeoutMs,
        },
        (res) => {
          res.on('data', () => undefined);
          res.on('end', () => resolve(done(res.statusCode ?? null, null)));
          res.on('error', (err) => resolve(done(res.statusCode ?? null, err.message)));
        },
      );
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      req.on('close', () => clearTimeout(timer));
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (err) => resolve(done(null, err.message)));
      req.end(body);
    });
  }
}
