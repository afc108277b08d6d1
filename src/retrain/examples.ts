/**
 * @module retrain/examples
 * The body of POST /v1/examples, validated whole before anything is stored: labelled pages in the
 * training-data format, or loose `{text, label}` examples (each becomes a one-block page). Every
 * problem names its field; one bad block rejects the request, so a batch is stored entirely or not at all.
 */
import { createHash } from 'node:crypto';
import { PagesiftError, describeValue } from '../errors';
import { LABEL_RULE, isValidLabel } from '../data/labelled-pages';
import type { LabelledBlock, LabelledPage } from '../types';

export interface ExampleLimits {
  /** Blocks per request. */
  readonly maxExamples: number;
  /** Characters per block. */
  readonly maxChars: number;
}

export interface ExampleBatch {
  readonly pages: LabelledPage[];
  readonly blocks: number;
  /** sha256 of the batch's canonical JSON: the same content always gives the same digest. */
  readonly digest: string;
}

const MAX_PAGE_ID = 256;

function invalid(field: string, message: string): never {
  throw new PagesiftError('invalid_field', message, { details: { field } });
}

function block(value: unknown, field: string, limits: ExampleLimits): LabelledBlock {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(field, `"${field}" must be an object with "text" and "label", found ${describeValue(value)}`);
  const { text, label } = value as Record<string, unknown>;
  if (!isValidLabel(label)) invalid(`${field}.label`, `"${field}.label" must be ${LABEL_RULE}, found ${describeValue(label)}`);
  if (typeof text !== 'string' || text.trim() === '') invalid(`${field}.text`, `"${field}.text" must be a non-empty string, found ${describeValue(text)}`);
  if (/[\r\n]/.test(text)) invalid(`${field}.text`, `"${field}.text" must be one line: a block never spans lines`);
  if (text.length > limits.maxChars) invalid(`${field}.text`, `"${field}.text" is ${text.length} characters; the limit is ${limits.maxChars} (MAX_EXAMPLE_CHARS)`);
  return { text, label };
}

function array(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value) || value.length === 0) invalid(field, `"${field}" must be a non-empty array, found ${describeValue(value)}`);
  return value;
}

export function parseExamples(body: unknown, limits: ExampleLimits): ExampleBatch {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    invalid('(body)', `the body must be a JSON object with "pages" or "examples", found ${describeValue(body)}`);
  }
  const { pages, examples } = body as Record<string, unknown>;
  if ((pages === undefined) === (examples === undefined)) invalid('pages', 'send either "pages" (labelled pages) or "examples" ({text, label} blocks), not both or neither');
  const count = (n: number): void => {
    if (n > limits.maxExamples) invalid(pages !== undefined ? 'pages' : 'examples', `the request has more than ${limits.maxExamples} blocks (MAX_EXAMPLES_PER_REQUEST): send it in parts`);
  };

  let parsed: LabelledPage[];
  if (examples !== undefined) {
    const list = array(examples, 'examples');
    count(list.length);
    // A loose example has no page around it: it is trained on as a page of one block.
    parsed = list.map((e, i) => ({ id: `example-${i}`, blocks: [block(e, `examples[${i}]`, limits)] }));
  } else {
    const list = array(pages, 'pages');
    const ids = new Set<string>();
    let total = 0;
    parsed = list.map((p, i) => {
      const field = `pages[${i}]`;
      if (typeof p !== 'object' || p === null || Array.isArray(p)) invalid(field, `"${field}" must be a labelled page object, found ${describeValue(p)}`);
      const { id, lang, blocks } = p as Record<string, unknown>;
      if (typeof id !== 'string' || id === '' || id.length > MAX_PAGE_ID) invalid(`${field}.id`, `"${field}.id" must be a string of 1-${MAX_PAGE_ID} characters, found ${describeValue(id)}`);
      if (ids.has(id)) invalid(`${field}.id`, `"${field}.id" ${JSON.stringify(id)} appears twice in this request`);
      ids.add(id);
      if (lang !== undefined && typeof lang !== 'string') invalid(`${field}.lang`, `"${field}.lang" must be a string, found ${describeValue(lang)}`);
      const raw = array(blocks, `${field}.blocks`);
      total += raw.length;
      count(total);
      return { id, ...(typeof lang === 'string' ? { lang } : {}), blocks: raw.map((b, j) => block(b, `${field}.blocks[${j}]`, limits)) };
    });
  }
  const digest = createHash('sha256').update(JSON.stringify(parsed)).digest('hex');
  return { pages: parsed, blocks: parsed.reduce((n, p) => n + p.blocks.length, 0), digest };
}

/** A caller's Idempotency-Key: a sane token, or absent. */
export const IDEMPOTENCY_KEY = /^[\w.:-]{1,128}$/;
