/**
 * @module http/middleware/error-handler
 * The one place where an error becomes an HTTP status. Clients get {"error": {"code", "message"}},
 * never a stack trace; anything unexpected is logged and answered with a plain 500.
 */
import type { ErrorRequestHandler } from 'express';
import { PagesiftError, type ErrorCode } from '../../errors';

export const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  invalid_json: 400,
  invalid_field: 400,
  payload_too_large: 413,
  too_many_blocks: 413,
  unsupported_media_type: 415,
  not_found: 404,
  method_not_allowed: 405,
  not_ready: 503,
  internal: 500,
  model_invalid: 500,
  training_data_invalid: 400,
  config_invalid: 500,
};

interface BodyParserError {
  type: string;
  status?: number;
  limit?: number;
  charset?: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && typeof (error as BodyParserError).type === 'string';
}

/** body-parser reports its failures by `type`; give each one our code and a useful message. */
function fromBodyParser(error: BodyParserError): PagesiftError {
  switch (error.type) {
    case 'entity.parse.failed':
      return new PagesiftError('invalid_json', `the body is not valid JSON: ${(error as unknown as Error).message}`);
    case 'entity.too.large':
      return new PagesiftError('payload_too_large', `the body is larger than ${error.limit} bytes (MAX_BODY_BYTES)`);
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new PagesiftError('unsupported_media_type', (error as unknown as Error).message);
    case 'request.aborted':
    case 'request.size.invalid':
      return new PagesiftError('invalid_field', 'the body ended before its declared length');
    default:
      return new PagesiftError('invalid_field', `the body could not be read (${error.type})`);
  }
}

export function errorHandler(): ErrorRequestHandler {
  return function handleError(error, req, res, _next) {
    const known = error instanceof PagesiftError ? error : isBodyParserError(error) ? fromBodyParser(error) : undefined;
    if (!known) {
      req.log.error({ err: error }, 'unexpected error');
      res.status(500).json({ error: { code: 'internal', message: 'internal error' } });
      return;
    }
    const status = STATUS_BY_CODE[known.code];
    if (status >= 500) req.log.error({ err: known }, known.message);
    if (known.code === 'method_not_allowed') res.set('Allow', String(known.details?.allow ?? ''));
    res.status(status).json({ error: { code: known.code, message: known.message, ...(known.details ? { details: known.details } : {}) } });
  };
}
