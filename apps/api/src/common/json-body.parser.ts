import express, { type RequestHandler } from 'express';
import type { IncomingMessage } from 'node:http';
import { AppException, ErrorCode } from './app.exception.js';
import { JSON_LIMITS, jsonShapeException, type JsonLimits } from './json-limits.js';
import { jsonTextBounds } from './json-text-bounds.util.js';

/**
 * Checks a JSON body's raw bytes against the limits before it is parsed, and throws the
 * documented 413/400 when it exceeds them. Meant as body-parser's `verify` (the parser passes its
 * error on as is): every JSON parser the API registers, whatever its media types or routes, should
 * use it. It also keeps the raw bytes, which JSON blueprints are hashed and checked on.
 */
export function verifyJsonBody(limits: JsonLimits = JSON_LIMITS) {
  return (
    req: IncomingMessage & { rawBody?: Buffer },
    _res: unknown,
    buf: Buffer,
    encoding: string | null,
  ) => {
    req.rawBody = buf;
    const problem = jsonTextBounds(utf8Bytes(buf, encoding), limits);
    if (problem) throw jsonShapeException(problem, limits);
  };
}

// Other charsets (body-parser accepts utf-16) are decoded first; the structure is ASCII either way.
function utf8Bytes(buf: Buffer, encoding: string | null): Uint8Array {
  if (!encoding || /^utf-?8$/i.test(encoding)) return buf;
  let text: string;
  try {
    text = new TextDecoder(encoding).decode(buf);
  } catch {
    throw new AppException(ErrorCode.UnsupportedMediaType, `The charset ${encoding} is not supported`);
  }
  return Buffer.from(text, 'utf8');
}

/** The API's JSON parser: application/json and +json bodies up to `limitBytes`, within JSON_LIMITS. */
export function jsonBodyParser(limitBytes: number, limits: JsonLimits = JSON_LIMITS): RequestHandler {
  return express.json({ limit: limitBytes, verify: verifyJsonBody(limits) });
}
