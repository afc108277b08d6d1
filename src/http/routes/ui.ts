/**
 * @module http/routes/ui
 * The labelling page at `/`: static files (src/http/ui, copied to dist by `npm run build`), no
 * build step of their own and no request outside this service, which the Content-Security-Policy
 * enforces in the browser.
 */
import path from 'node:path';
import express, { Router } from 'express';

const UI_DIR = path.join(__dirname, '..', 'ui');

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function uiRoutes(): Router {
  const router = Router();
  const files = express.static(UI_DIR, { index: false, etag: false, maxAge: 0 });
  router.use(['/', '/ui'], (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    res.set('Content-Security-Policy', CSP);
    res.set('X-Content-Type-Options', 'nosniff');
    return next();
  });
  router.get('/', (_req, res) => res.sendFile(path.join(UI_DIR, 'index.html')));
  router.use('/ui', files);
  return router;
}
