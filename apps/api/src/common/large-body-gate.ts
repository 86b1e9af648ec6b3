import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppException, ErrorCode } from './app.exception.js';

export interface LargeBodyGateOptions {
  /** A body of more bytes than this (or of unknown length) is a large one. */
  thresholdBytes: number;
  /** Large-body requests handled at once; the others wait their turn, in arrival order. */
  concurrency: number;
  /** Large-body requests that may wait; the next one is answered 503 with Retry-After. */
  maxWaiting: number;
}

export const LARGE_BODY_GATE: LargeBodyGateOptions = {
  thresholdBytes: 65_536,
  concurrency: 1,
  maxWaiting: 256,
};

/**
 * Takes large bodies one at a time, so that the rest of the API keeps its turns on the event loop.
 *
 * Reading, bounding, parsing and validating a body of a megabyte costs milliseconds of CPU that no
 * other request can use. Twenty such bodies arriving together would otherwise be parsed back to
 * back, and `/health/live` (or any small request) would wait behind all of them. Through the gate
 * at most `concurrency` large-body requests are past their body's first byte; the waiting ones are
 * not read at all (TCP pushes back on their senders), so waiting costs neither CPU nor memory.
 * Small requests never wait. A request leaves the gate when its answer is finished or its
 * connection closes, whichever is first.
 */
export function largeBodyGate(options: LargeBodyGateOptions = LARGE_BODY_GATE): RequestHandler {
  let running = 0;
  const waiting: (() => void)[] = [];

  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };

  return (req: Request, res: Response, next: NextFunction) => {
    if (!isLarge(req, options.thresholdBytes)) return next();
    let released = false;
    const enter = () => {
      const leave = () => {
        if (released) return;
        released = true;
        release();
      };
      res.once('finish', leave);
      res.once('close', leave);
      next();
    };
    if (running < options.concurrency) {
      running++;
      return enter();
    }
    if (waiting.length >= options.maxWaiting) {
      return next(
        new AppException(
          ErrorCode.Unavailable,
          'Too many large requests are waiting; try again shortly',
          [],
          1,
        ),
      );
    }
    // a client that gives up while waiting gives its place up too
    const turn = () => {
      req.off('close', abandon);
      if (res.destroyed) return release();
      enter();
    };
    const abandon = () => {
      const at = waiting.indexOf(turn);
      if (at >= 0) waiting.splice(at, 1);
    };
    req.once('close', abandon);
    waiting.push(turn);
  };
}

function isLarge(req: Request, thresholdBytes: number): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) > thresholdBytes;
  return req.headers['transfer-encoding'] !== undefined;
}
