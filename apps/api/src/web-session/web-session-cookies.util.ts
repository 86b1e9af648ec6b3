import type { Request, Response } from 'express';
import { CSRF_COOKIE, csrfTokenFor, SESSION_COOKIE } from '../auth/session-cookie.util.js';

export type CookieSecure = 'auto' | 'always';

// `auto`: Secure only when the request came over https (req.secure follows X-Forwarded-Proto
// from a proxy on loopback), so that http://localhost works in development without it.
const secureFor = (req: Request, mode: CookieSecure) => mode === 'always' || req.secure;

/**
 * Sets the web session: the token in an HttpOnly cookie no script can read, and its CSRF token
 * in one the web app reads and echoes. SameSite=Strict keeps both off requests other sites start.
 */
export function setWebSessionCookies(
  req: Request,
  res: Response,
  token: string,
  expiresAt: Date,
  mode: CookieSecure,
): void {
  const base = {
    path: '/',
    sameSite: 'strict' as const,
    secure: secureFor(req, mode),
    expires: expiresAt,
  };
  res.cookie(SESSION_COOKIE, token, { ...base, httpOnly: true });
  res.cookie(CSRF_COOKIE, csrfTokenFor(token), { ...base, httpOnly: false });
}

/** Ends the web session in the browser: both cookies expire now. */
export function clearWebSessionCookies(req: Request, res: Response, mode: CookieSecure): void {
  const base = { path: '/', sameSite: 'strict' as const, secure: secureFor(req, mode) };
  res.clearCookie(SESSION_COOKIE, { ...base, httpOnly: true });
  res.clearCookie(CSRF_COOKIE, { ...base, httpOnly: false });
}
