/**
 * @module errors
 * One error type with a closed set of codes. Only http/middleware/error-handler.ts turns a code
 * into an HTTP status; the CLI turns it into an exit code.
 */

export type ErrorCode =
  | 'invalid_json'
  | 'invalid_body'
  | 'invalid_field'
  | 'payload_too_large'
  | 'too_many_blocks'
  | 'unsupported_media_type'
  | 'not_found'
  | 'method_not_allowed'
  | 'not_ready'
  | 'unauthorized'
  | 'retraining_disabled'
  | 'conflict'
  | 'internal'
  | 'model_invalid'
  | 'training_data_invalid'
  | 'config_invalid';

export interface PagesiftErrorOptions {
  readonly cause?: unknown;
  /** Extra machine-readable facts, e.g. the offending field. Safe to send to clients. */
  readonly details?: Record<string, unknown>;
}

export class PagesiftError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: PagesiftErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'PagesiftError';
    this.code = code;
    if (options.details) this.details = options.details;
  }
}

/** Short description of a value for "expected X, found Y" messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 40 ? 'a string' : JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
