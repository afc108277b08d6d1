/**
 * @module http/middleware/error-handler
 * The one place where an error becomes an HTTP status. Clients get {"error": {"code", "message"}, "requestId"},
 * never a stack trace; anything unexpected is logged and answered with a plain 500.
 */
import type { ErrorRequestHandler } from 'express';
import { PagesiftError, type ErrorCode } from '../../errors';

export const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  invalid_json: 400,
  invalid_body: 400,
  invalid_field: 400,
  payload_too_large: 413,
  too_many_blocks: 413,
  unsupported_media_type: 415,
  not_found: 404,
  method_not_allowed: 405,
  not_ready: 503,
  unauthorized: 401,
  retraining_disabled: 403,
  conflict: 409,
  internal: 500,
  model_invalid: 500,
  training_data_invalid: 400,
  config_invalid: 500,
};

/** What body-parser (and the http-errors it raises, zlib's included) puts on a failure. */
interface BodyReadError {
  readonly type?: string;
  readonly status?: number;
  readonly limit?: number;
  readonly message: string;
}

/** A client-side failure to read the body: a 4xx from body-parser or from decoding it. */
function isBodyReadError(error: unknown): error is BodyReadError {
  if (typeof error !== 'object' || error === null) return false;
  const status = (error as BodyReadError).status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** body-parser reports its failures by `type` and `status`; give each one our code and a useful message. */
function fromBodyRead(error: BodyReadError): PagesiftError {
  if (error.type === 'entity.parse.failed') return new PagesiftError('invalid_json', `the body is not valid JSON: ${error.message}`);
  if (error.status === 413) return new PagesiftError('payload_too_large', `the body is larger than ${error.limit} bytes (MAX_BODY_BYTES)`);
  if (error.status === 415) return new PagesiftError('unsupported_media_type', error.message);
  // Aborted or short bodies, bad gzip/deflate data, and anything else the reader refused.
  return new PagesiftError('invalid_body', `the body could not be read: ${error.message}`);
}

export function errorHandler(): ErrorRequestHandler {
  return function handleError(error, req, res, _next) {
    const known = error instanceof PagesiftError ? error : isBodyReadError(error) ? fromBodyRead(error) : undefined;
    // The request id is in the body too, so an operator can quote it from a crawler's error log.
    const requestId = String(req.id);
    if (!known) {
      req.log.error({ err: error }, 'unexpected error');
      res.status(500).json({ error: { code: 'internal', message: 'internal error' }, requestId });
      return;
    }
    const status = STATUS_BY_CODE[known.code];
    if (status >= 500) req.log.error({ err: known }, known.message);
    if (known.code === 'method_not_allowed') res.set('Allow', String(known.details?.allow ?? ''));
    res.status(status).json({ error: { code: known.code, message: known.message, ...(known.details ? { details: known.details } : {}) }, requestId });
  };
}
