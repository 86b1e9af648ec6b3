import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

// The web app as Vite builds it: one module script and one stylesheet from /assets, no inline
// script or style, no eval; only the favicon is a data: URL. API answers get the same policy.
const STRICT_DIRECTIVES = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

// swagger-ui's page (/api/docs) has inline <style> blocks and style attributes; its scripts are
// files. Only that page gets inline styles, never inline script.
const DOCS_DIRECTIVES = { ...STRICT_DIRECTIVES, 'style-src': ["'self'", "'unsafe-inline'"] };

const options = (directives: Record<string, string[]>): HelmetOptions => ({
  // upgrade-insecure-requests is left out: plain http on a LAN address must keep working
  contentSecurityPolicy: { useDefaults: false, directives },
  xFrameOptions: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  crossOriginOpenerPolicy: { policy: 'same-origin' },
  crossOriginResourcePolicy: { policy: 'same-origin' },
});

const DOCS_PREFIX = '/api/docs';

/**
 * The headers helmet sets with these options, asked of it once: they depend on nothing in the
 * request, so each answer copies them instead of running helmet's dozen middlewares again.
 */
export function headersOf(options: HelmetOptions): Map<string, string> {
  const headers = new Map<string, string>();
  const res = {
    setHeader: (name: string, value: string) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  };
  let done = false;
  helmet(options)({} as Request, res as unknown as Response, () => (done = true));
  // helmet calls next synchronously when it has set every header; anything else is a new helmet
  if (!done) throw new Error('helmet did not finish synchronously');
  return headers;
}

/**
 * Security headers on every answer (web app, docs, API): a strict Content-Security-Policy that
 * also forbids framing, X-Frame-Options DENY, nosniff, no referrer, and helmet's other defaults.
 */
export function useSecurityHeaders(app: INestApplication): void {
  const strict = headersOf(options(STRICT_DIRECTIVES));
  const docs = headersOf(options(DOCS_DIRECTIVES));
  app.use((req: Request, res: Response, next: NextFunction) => {
    const isDocs = req.path === DOCS_PREFIX || req.path.startsWith(`${DOCS_PREFIX}/`);
    res.setHeaders(isDocs ? docs : strict);
    next();
  });
}
