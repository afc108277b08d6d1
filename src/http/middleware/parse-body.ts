/**
 * @module http/middleware/parse-body
 * JSON (and plain text where a route takes it), bounded by MAX_BODY_BYTES; any other content type is a 415.
 */
import express, { type RequestHandler } from 'express';
import { PagesiftError } from '../../errors';

export function parseBody(maxBodyBytes: number, options: { text: boolean } = { text: true }): RequestHandler[] {
  const accepted = options.text ? 'application/json or text/plain' : 'application/json';
  return [
    // strict: false lets a JSON string or number through, so the request check can name the problem.
    express.json({ limit: maxBodyBytes, strict: false, type: ['application/json', 'application/*+json'] }),
    ...(options.text ? [express.text({ limit: maxBodyBytes, type: 'text/plain' })] : []),
    function requireParsedBody(req, _res, next) {
      if (req.body === undefined) {
        const type = req.get('content-type');
        next(new PagesiftError('unsupported_media_type', type
          ? `content type "${type}" is not supported; send ${accepted}`
          : `the request has no content type; send ${accepted}`));
        return;
      }
      next();
    },
  ];
}
