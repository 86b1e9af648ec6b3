import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';

/** The ETag of a ruleset's text: its SHA-256, quoted (a strong validator: same text, same tag). */
export function rulesetETag(text: string): string {
  return `"${createHash('sha256').update(text).digest('base64url')}"`;
}

/** Does the request's If-None-Match name this tag (or `*`)? Weak and strong forms compare alike (RFC 9110). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || strip(tag) === etag);
}

/**
 * Answers a ruleset as `text/plain` with its ETag, or 304 with no body when the client already
 * holds this text. Never cached by intermediaries: it depends on who asks.
 */
export function sendRuleset(req: Request, res: Response, text: string): string | undefined {
  const etag = rulesetETag(text);
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', 'private, no-cache');
  if (matchesIfNoneMatch(req.header('if-none-match'), etag)) {
    res.status(304);
    return undefined;
  }
  res.type('text/plain; charset=utf-8');
  return text;
}
