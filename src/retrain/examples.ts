/**
 * @module retrain/examples
 * The body of POST /v1/examples, checked whole before anything is stored: labelled pages in the
 * training-data format, or loose `{text, label}` examples (each becomes a one-block page). Every
 * problem names its field; one bad block rejects the request, so a batch is stored entirely or not at all.
 */
import { createHash } from 'node:crypto';
import { PagesiftError } from '../errors';
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

/** The shape of POST /v1/examples, already checked against the API document (http/openapi.ts). */
export type ExamplesRequest =
  | { readonly pages: readonly LabelledPage[]; readonly examples?: undefined }
  | { readonly examples: readonly LabelledBlock[]; readonly pages?: undefined };

function invalid(field: string, message: string): never {
  throw new PagesiftError('invalid_field', message, { details: { field } });
}

/** The limits this deployment sets and the rules a schema cannot say; then the batch and its digest. */
export function exampleBatch(request: ExamplesRequest, limits: ExampleLimits): ExampleBatch {
  const blocks = (list: readonly LabelledBlock[], field: (j: number) => string): LabelledBlock[] => list.map(({ text, label }, j) => {
    if (text.length > limits.maxChars) invalid(`${field(j)}.text`, `"${field(j)}.text" is ${text.length} characters; the limit is ${limits.maxChars} (MAX_EXAMPLE_CHARS)`);
    // The schema's label pattern is the same rule; this keeps the core safe whoever calls it.
    if (!isValidLabel(label)) invalid(`${field(j)}.label`, `"${field(j)}.label" must be ${LABEL_RULE}`);
    return { text, label };
  });
  const where = request.pages !== undefined ? 'pages' : 'examples';
  const total = request.pages !== undefined ? request.pages.reduce((n, p) => n + p.blocks.length, 0) : request.examples.length;
  if (total > limits.maxExamples) invalid(where, `the request has ${total} blocks, more than ${limits.maxExamples} (MAX_EXAMPLES_PER_REQUEST): send it in parts`);

  let pages: LabelledPage[];
  if (request.pages === undefined) {
    // A loose example has no page around it: it is trained on as a page of one block.
    pages = blocks(request.examples, (j) => `examples[${j}]`).map((b, i) => ({ id: `example-${i}`, blocks: [b] }));
  } else {
    const ids = new Set<string>();
    pages = request.pages.map(({ id, lang, wall, truncated, blocks: list }, i) => {
      if (ids.has(id)) invalid(`pages[${i}].id`, `"pages[${i}].id" ${JSON.stringify(id)} appears twice in this request`);
      ids.add(id);
      // The flags teach the page verdict; the schema has checked they come together.
      const flags = wall !== undefined && truncated !== undefined ? { wall, truncated } : {};
      return { id, ...(lang !== undefined ? { lang } : {}), ...flags, blocks: blocks(list, (j) => `pages[${i}].blocks[${j}]`) };
    });
  }
  const digest = createHash('sha256').update(JSON.stringify(pages)).digest('hex');
  return { pages, blocks: total, digest };
}

/** A caller's Idempotency-Key: a sane token, or absent. */
export const IDEMPOTENCY_KEY = /^[\w.:-]{1,128}$/;
