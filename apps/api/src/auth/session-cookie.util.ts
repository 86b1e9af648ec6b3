import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { AppException, ErrorCode } from '../common/app.exception.js';
import { cookieHeader } from './cookie-header.util.js';

/** The web session: the token, HttpOnly, so that no script in the page can read it. */
export const SESSION_COOKIE = 'syd_session';
/** Its CSRF token, readable by the web app, which echoes it in CSRF_HEADER on every change. */
export const CSRF_COOKIE = 'syd_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The CSRF token of a session token: a hash of it, so the server keeps no state, another page
 * cannot forge it without the token, and reading it gives a script nothing to sign in with.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`switchyard csrf\n${sessionToken}`).digest('base64url');
}

/**
 * Whether the request may come from another site: an `Origin` other than this server's, or a
 * browser saying it is cross-site. Clients that send neither (curl, the CLI) pass.
 */
export function isCrossSite(req: Request): boolean {
  if (req.headers['sec-fetch-site'] === 'cross-site') return true;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  return origin !== `${req.protocol}://${req.host}`;
}

/**
 * The session token of the web session cookie, for the auth guard when no Authorization header
 * came. A change (any method but GET, HEAD, OPTIONS) made with it must come from this site and
 * carry the session's CSRF token in CSRF_HEADER, else it is refused with 403: a cookie is sent by
 * the browser whatever page asks, so it alone proves nothing about who asked.
 */
export function sessionCookieToken(req: Request): string | undefined {
  const token = cookieHeader(req.headers.cookie).get(SESSION_COOKIE);
  if (!token) return undefined;
  if (SAFE_METHODS.has(req.method)) return token;
  checkCsrf(req, token);
  return token;
}

/** Throws 403 unless the request is same-site and carries the CSRF token of `sessionToken`. */
export function checkCsrf(req: Request, sessionToken: string): void {
  const sent = req.headers[CSRF_HEADER];
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const given = Buffer.from(typeof sent === 'string' ? sent : '');
  const matches = given.length === expected.length && timingSafeEqual(given, expected);
  if (!matches || isCrossSite(req)) {
    throw new AppException(
      ErrorCode.Forbidden,
      `A change made with the web session cookie needs the ${CSRF_HEADER} header from this site ` +
        `(the ${CSRF_COOKIE} cookie's value); API clients send Authorization instead`,
    );
  }
}
