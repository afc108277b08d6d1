/**
 * @module http/request
 * Turns a parsed request body into a typed request, or an error naming the field. The shapes are
 * the API document's (http/openapi.ts, checked by http/validate.ts); the limits a deployment sets
 * are checked here.
 */
import { PagesiftError } from '../errors';
import type { PageInput } from '../pipeline/classify';
import { validateBody } from './validate';

export interface ClassifyRequest {
  readonly id: string | null;
  readonly input: PageInput;
}

/** `body` is the text of a text/plain request, otherwise parsed JSON of any shape. */
export function parseClassifyRequest(body: unknown, plainText: boolean): ClassifyRequest {
  if (plainText && typeof body === 'string') return { id: null, input: { text: body } };
  const { id, text, blocks } = validateBody<{ id?: string; text?: string; blocks?: string[] }>('ClassifyRequest', body);
  return { id: id ?? null, input: text !== undefined ? { text } : { blocks: blocks as string[] } };
}

/**
 * The pages of a batch request: the envelope is checked here (a bad one fails the request); each
 * page is checked on its own later, so one bad page is reported in its own result.
 */
export function parseBatchRequest(body: unknown, maxPages: number): unknown[] {
  const { pages } = validateBody<{ pages: unknown[] }>('BatchRequest', body);
  if (pages.length > maxPages) {
    throw new PagesiftError('too_many_blocks', `the batch has ${pages.length} pages; at most ${maxPages} are allowed (MAX_BATCH_PAGES)`, { details: { pages: pages.length, maxPages } });
  }
  return pages;
}
