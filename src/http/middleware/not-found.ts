/**
 * @module http/middleware/not-found
 */
import type { RequestHandler } from 'express';
import { PagesiftError } from '../../errors';

export function notFound(): RequestHandler {
  return function routeNotFound(req, _res, next) {
    next(new PagesiftError('not_found', `no route for ${req.method} ${req.path}`));
  };
}

/** For a known path asked with a method it does not serve. */
export function methodNotAllowed(allow: string): RequestHandler {
  return function wrongMethod(req, _res, next) {
    next(new PagesiftError('method_not_allowed', `${req.method} is not allowed on ${req.path}; use ${allow}`, { details: { allow } }));
  };
}
