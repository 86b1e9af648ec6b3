import type { IncomingMessage } from 'node:http';
import express, { type RequestHandler } from 'express';
import { verifyJsonBody } from '../common/json-body.parser.js';

// What netctl and other Contiv clients send their JSON as: Go's client sets no Content-Type at
// all, and some scripts say text/plain or form-urlencoded. application/json is the global parser's.
const CONTIV_MEDIA_TYPES = new Set(['text/plain', 'application/x-www-form-urlencoded']);

function isContivJson(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  if (type === undefined || type.trim() === '') return true;
  return CONTIV_MEDIA_TYPES.has((type.split(';')[0] ?? '').trim().toLowerCase());
}

/**
 * Reads such bodies on /netmaster as JSON, with the size limit of every JSON body and the same
 * depth and key-count bounds (verifyJsonBody, on the raw bytes before JSON.parse).
 */
export function netmasterBodyParser(limitBytes: number): RequestHandler {
  return express.json({ type: isContivJson, limit: limitBytes, verify: verifyJsonBody() });
}
