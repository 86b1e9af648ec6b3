import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** Where `vite build` of apps/web puts the app, seen from apps/api/dist. */
export const WEB_DIST = resolve(import.meta.dirname, '../../../web/dist');

// Paths the web app never answers: the API, its docs, health, metrics and the Contiv API.
const SERVER_PREFIXES = ['/api', '/health', '/metrics', '/netmaster'];

export function isServerPath(path: string): boolean {
  return SERVER_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

/**
 * Serves the built web app at `/` with a fallback to index.html for the app's own routes
 * (/catalog/…, /deployments/…), so a reload or a shared link works. Returns false when the app
 * is not built, and the API runs without it.
 */
export function serveWebApp(app: NestExpressApplication, dir = WEB_DIST): boolean {
  const index = resolve(dir, 'index.html');
  if (!existsSync(index)) return false;
  const fallback = (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isServerPath(req.path)) return next();
    // a missing file (/assets/gone.js) is a 404, not the app
    if (req.path.startsWith('/assets/') || !req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  };
  // The API's own paths never stat the disk for a file first.
  const staticFiles = express.static(dir, {
    index: false,
    fallthrough: true,
    // file names under assets/ carry a content hash
    setHeaders: (res, path) =>
      res.setHeader(
        'Cache-Control',
        path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      ),
  });
  app.use((req: Request, res: Response, next: NextFunction) =>
    (req.method !== 'GET' && req.method !== 'HEAD') || isServerPath(req.path)
      ? next()
      : staticFiles(req, res, next),
  );
  app.use(fallback);
  return true;
}
