/**
 * @module http/middleware/parse-body
 * JSON or plain text, bounded by MAX_BODY_BYTES; any other content type is a 415.
 */
import express, { type RequestHandler } from 'express';
import { PagesiftError } from '../../errors';

export function parseBody(maxBodyBytes: number): RequestHandler[] {
  return [
    // strict: false lets a JSON string or number through, so the request check can name the problem.
    express.json({ limit: maxBodyBytes, strict: false, type: ['application/json', 'application/*+json'] }),
    express.text({ limit: maxBodyBytes, type: 'text/plain' }),
    function requireParsedBody(req, _res, next) {
      if (req.body === undefined) {
        const type = req.get('content-type');
        next(new PagesiftError('unsupported_media_type', type
          ? `content type "${type}" is not supported; send application/json or text/plain`
          : 'the request has no content type; send application/json or text/plain'));
        return;
      }
      next();
    },
  ];
}
