/**
 * @module http/request
 * Turns a parsed request body into a typed classify request, or an error naming the field.
 */
import { PagesiftError, describeValue } from '../errors';
import type { PageInput } from '../pipeline/classify';

export interface ClassifyRequest {
  readonly id: string | null;
  readonly input: PageInput;
}

export const MAX_ID_LENGTH = 256;

function invalid(field: string, message: string): never {
  throw new PagesiftError('invalid_field', message, { details: { field } });
}

/** `body` is the text of a text/plain request, otherwise parsed JSON of any shape. */
export function parseClassifyRequest(body: unknown, plainText: boolean): ClassifyRequest {
  if (plainText && typeof body === 'string') return { id: null, input: { text: body } };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    invalid('(body)', `the body must be a JSON object with "text" or "blocks", found ${describeValue(body)}`);
  }
  const { id, text, blocks } = body as Record<string, unknown>;
  if (id !== undefined && (typeof id !== 'string' || id.length > MAX_ID_LENGTH)) {
    invalid('id', `"id" must be a string of at most ${MAX_ID_LENGTH} characters, found ${describeValue(id)}`);
  }
  const echoed = (id as string | undefined) ?? null;
  if (text !== undefined && blocks !== undefined) invalid('text', 'send either "text" or "blocks", not both');
  if (text !== undefined) {
    if (typeof text !== 'string') invalid('text', `"text" must be a string, found ${describeValue(text)}`);
    return { id: echoed, input: { text } };
  }
  if (blocks !== undefined) {
    if (!Array.isArray(blocks)) invalid('blocks', `"blocks" must be an array of strings, found ${describeValue(blocks)}`);
    const bad = blocks.findIndex((b) => typeof b !== 'string');
    if (bad >= 0) invalid(`blocks[${bad}]`, `"blocks[${bad}]" must be a string, found ${describeValue(blocks[bad])}`);
    return { id: echoed, input: { blocks: blocks as string[] } };
  }
  return invalid('text', 'the body must have "text" (page text) or "blocks" (an array of strings)');
}

/**
 * The pages of a batch request: the envelope is checked here (a bad one fails the request); each
 * page is checked on its own later, so one bad page is reported in its own result.
 */
export function parseBatchRequest(body: unknown, maxPages: number): unknown[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    invalid('(body)', `the body must be a JSON object with "pages", found ${describeValue(body)}`);
  }
  const { pages } = body as Record<string, unknown>;
  if (!Array.isArray(pages)) invalid('pages', `"pages" must be an array of pages ({"id", "text" | "blocks"}), found ${describeValue(pages)}`);
  if (pages.length > maxPages) {
    throw new PagesiftError('too_many_blocks', `the batch has ${pages.length} pages; at most ${maxPages} are allowed (MAX_BATCH_PAGES)`, { details: { pages: pages.length, maxPages } });
  }
  return pages;
}
