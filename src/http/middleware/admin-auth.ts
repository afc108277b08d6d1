/**
 * @module http/middleware/admin-auth
 * The admin token guards everything that changes the model. No ADMIN_TOKEN configured: 403, the
 * feature is off. Missing or wrong bearer token: 401. Tokens are compared as SHA-256 digests with
 * timingSafeEqual, so neither their content nor their length leaks through timing; they are never logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { PagesiftError } from '../../errors';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

export function adminAuth(adminToken: string | undefined): RequestHandler {
  const expected = adminToken === undefined ? undefined : digest(adminToken);
  return function requireAdmin(req, res, next) {
    if (!expected) {
      next(new PagesiftError('retraining_disabled', 'retraining disabled: start the service with ADMIN_TOKEN set to enable it'));
      return;
    }
    const match = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '');
    if (!match || !timingSafeEqual(digest(match[1] as string), expected)) {
      res.set('WWW-Authenticate', 'Bearer realm="pagesift admin"');
      next(new PagesiftError('unauthorized', match ? 'the admin token is wrong' : 'send the admin token as "Authorization: Bearer <ADMIN_TOKEN>"'));
      return;
    }
    next();
  };
}
