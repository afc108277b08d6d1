/**
 * @module http/openapi
 * The API document (OpenAPI 3.1), served at GET /openapi.json. It is the one source of the request
 * schemas: http/validate.ts compiles the `components.schemas` below and every request body is
 * checked against them, so the document cannot promise a shape the service does not enforce.
 * Limits set by the environment (MAX_BLOCKS, MAX_BATCH_PAGES, MAX_EXAMPLES_PER_REQUEST,
 * MAX_EXAMPLE_CHARS) are described here and checked in code, since they differ per deployment.
 *
 * `x-rule` on a schema is the phrase an error message uses for it ("must be <rule>, found ...").
 */
import { LABEL_PATTERN, LABEL_RULE } from '../data/labelled-pages';
import type { ErrorCode } from '../errors';
import { STATUS_BY_CODE } from './middleware/error-handler';

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema, examples?: Record<string, unknown>): Schema => ({
  'application/json': { schema, ...(examples ? { examples: Object.fromEntries(Object.entries(examples).map(([k, value]) => [k, { value }])) } : {}) },
});
const response = (description: string, schema: Schema, headers?: Schema): Schema => ({ description, content: json(schema), ...(headers ? { headers } : {}) });

/** The error responses an operation can give, by code; each code's status comes from the error handler. */
function errors(...codes: ErrorCode[]): Record<string, Schema> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of [...codes, 'method_not_allowed' as const, 'internal' as const]) {
    const status = STATUS_BY_CODE[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries([...byStatus].map(([status, list]) => [String(status), {
    description: `error: ${list.map((c) => `\`${c}\``).join(', ')}`,
    content: json({ allOf: [ref('Error'), { type: 'object', properties: { error: { type: 'object', properties: { code: { enum: list } } } } }] }),
  }]));
}

const ADMIN = { security: [{ adminToken: [] }], tags: ['admin'] };
const ADMIN_ERRORS: ErrorCode[] = ['unauthorized', 'retraining_disabled'];

/** A label name that keys plain objects safely (data/labelled-pages.ts says why). */
const FORBIDDEN_LABELS = Object.getOwnPropertyNames(Object.prototype).filter((n) => LABEL_PATTERN.test(n));

const SCHEMAS: Record<string, Schema> = {
  // --- requests ---
  ClassifyRequest: {
    type: 'object',
    'x-rule': 'a JSON object with "text" or "blocks"',
    description: 'One page: its scraped text (cut into blocks at line breaks; blank lines are dropped) or its blocks. '
      + 'At most MAX_BLOCKS blocks (413 `too_many_blocks` beyond). Other properties are ignored.',
    properties: {
      id: { type: 'string', maxLength: 256, 'x-rule': 'a string of at most 256 characters', description: 'Echoed in the result.' },
      text: { type: 'string', description: 'The page text; every non-blank line is a block.' },
      blocks: { type: 'array', items: { type: 'string' }, 'x-rule': 'an array of strings', description: 'The page already cut into blocks, in page order.' },
    },
    oneOf: [{ required: ['text'] }, { required: ['blocks'] }],
  },
  BatchRequest: {
    type: 'object',
    'x-rule': 'a JSON object with "pages"',
    description: 'Many pages in one request, at most MAX_BATCH_PAGES (413 `too_many_blocks` beyond). '
      + 'Each page is checked on its own: a bad page gets an error in its own result and the others are still classified.',
    required: ['pages'],
    properties: { pages: { type: 'array', items: ref('ClassifyRequest'), 'x-rule': 'an array of pages ({"id", "text" | "blocks"})' } },
  },
  BlockText: { type: 'string', pattern: '^[^\\r\\n]*\\S[^\\r\\n]*$', 'x-rule': 'one non-empty line', description: 'At most MAX_EXAMPLE_CHARS characters.' },
  Label: { type: 'string', pattern: LABEL_PATTERN.source, not: { enum: FORBIDDEN_LABELS }, 'x-rule': LABEL_RULE, examples: ['content'] },
  LabelledBlock: {
    type: 'object',
    'x-rule': 'an object with "text" and "label"',
    required: ['text', 'label'],
    properties: { text: ref('BlockText'), label: ref('Label') },
  },
  LabelledPage: {
    type: 'object',
    'x-rule': 'a labelled page ({"id", "blocks"})',
    description: 'A page in the training-data format. `wall` and `truncated` come together or not at all; a page with them also teaches the page verdict.',
    required: ['id', 'blocks'],
    properties: {
      id: { type: 'string', minLength: 1, maxLength: 256, 'x-rule': 'a string of 1-256 characters', description: 'Unique within the request.' },
      lang: { type: 'string', description: 'ISO language code.' },
      wall: { type: 'boolean', 'x-rule': 'true or false', description: 'The page shows a prompt that gates reading.' },
      truncated: { type: 'boolean', 'x-rule': 'true or false', description: 'The article is cut off by the wall (only with `wall: true`).' },
      blocks: { type: 'array', minItems: 1, items: ref('LabelledBlock'), 'x-rule': 'a non-empty array of labelled blocks' },
    },
    dependentRequired: { wall: ['truncated'], truncated: ['wall'] },
    if: { required: ['truncated'], properties: { truncated: { const: true } } },
    then: { properties: { wall: { const: true, 'x-rule': 'true when "truncated" is true' } } },
  },
  ExamplesRequest: {
    type: 'object',
    'x-rule': 'a JSON object with "pages" or "examples"',
    description: 'Labelled pages, or loose blocks (each learned as a page of one block). At most MAX_EXAMPLES_PER_REQUEST blocks in all. '
      + 'The request is stored whole or not at all.',
    properties: {
      pages: { type: 'array', minItems: 1, items: ref('LabelledPage'), 'x-rule': 'a non-empty array of labelled pages' },
      examples: { type: 'array', minItems: 1, items: ref('LabelledBlock'), 'x-rule': 'a non-empty array of {text, label} blocks' },
    },
    oneOf: [{ required: ['pages'] }, { required: ['examples'] }],
  },
  RetrainRequest: {
    type: 'object',
    'x-rule': 'a JSON object such as {"force": true}',
    description: 'Optional: a bare POST retrains.',
    properties: { force: { type: 'boolean', 'x-rule': 'true or false', description: 'Make the new model live even when the gate would keep the current one.' } },
  },

  // --- responses ---
  ErrorBody: {
    type: 'object',
    required: ['code', 'message'],
    properties: {
      code: { type: 'string', enum: Object.keys(STATUS_BY_CODE) },
      message: { type: 'string' },
      details: { type: 'object', description: 'Machine-readable facts, such as the offending `field`.' },
    },
  },
  Error: {
    type: 'object',
    required: ['error', 'requestId'],
    additionalProperties: false,
    properties: {
      error: { type: 'object', allOf: [ref('ErrorBody')], unevaluatedProperties: false },
      requestId: { type: 'string', description: 'The X-Request-Id of this request; it is in the service log line too.' },
    },
  },
  Scores: { type: 'object', description: 'Probability of every label of the model; they sum to 1.', additionalProperties: { type: 'number', minimum: 0, maximum: 1 } },
  BlockResult: {
    type: 'object',
    required: ['index', 'text', 'label', 'confidence', 'scores'],
    additionalProperties: false,
    properties: {
      index: { type: 'integer', minimum: 0 },
      text: { type: 'string', description: 'The block exactly as it arrived.' },
      label: { type: 'string' },
      confidence: { type: 'number', minimum: 0, maximum: 1 },
      scores: ref('Scores'),
    },
  },
  ModelRef: { type: 'object', required: ['version'], additionalProperties: false, properties: { version: { type: 'string' } } },
  PaywallVerdict: {
    type: 'object',
    description: 'The page-level answer: is there a wall, and did it cut the article off.',
    required: ['wall', 'truncated', 'confidence', 'evidence'],
    additionalProperties: false,
    properties: {
      wall: { type: 'boolean', description: 'The page shows a prompt that gates reading (a meter, "subscribe to continue", a member-only or registration wall, "buy this article"). A header Subscribe link, a newsletter sign-up or a donation ask alone is not a wall.' },
      truncated: { type: 'boolean', description: 'The article in this text is cut off by the wall (only ever true with `wall`). A wall beside a complete article is `wall: true, truncated: false`.' },
      confidence: { type: 'number', minimum: 0, maximum: 1, description: 'Probability of this (wall, truncated) answer.' },
      evidence: { type: 'array', items: { type: 'integer', minimum: 0 }, description: 'Indexes of the blocks the verdict rests on: the paywall blocks, and the last article paragraph when truncated.' },
    },
  },
  PageResult: {
    type: 'object',
    required: ['id', 'blocks', 'paywall', 'content', 'summary'],
    properties: {
      id: { type: ['string', 'null'] },
      blocks: { type: 'array', items: ref('BlockResult') },
      paywall: { oneOf: [ref('PaywallVerdict'), { type: 'null', description: 'The model has no page verdict (its corpus had no wall/truncated flags).' }] },
      content: { type: 'string', description: 'The content blocks joined by "\\n".' },
      summary: { type: 'object', description: 'Blocks per label; every label of the model is present.', additionalProperties: { type: 'integer', minimum: 0 } },
    },
  },
  ClassifyResponse: {
    type: 'object',
    allOf: [ref('PageResult')],
    required: ['model'],
    properties: { model: ref('ModelRef') },
    unevaluatedProperties: false,
  },
  PageError: {
    type: 'object',
    required: ['id', 'error'],
    additionalProperties: false,
    properties: {
      id: { type: ['string', 'null'] },
      // The same error as a failed request's, with the status the page would have had on its own.
      error: { type: 'object', allOf: [ref('ErrorBody')], required: ['status'], properties: { status: { type: 'integer' } }, unevaluatedProperties: false },
    },
  },
  BatchResponse: {
    type: 'object',
    required: ['model', 'results'],
    additionalProperties: false,
    properties: {
      model: ref('ModelRef'),
      results: { type: 'array', description: 'One per page, in order.', items: { oneOf: [{ type: 'object', allOf: [ref('PageResult')], unevaluatedProperties: false }, ref('PageError')] } },
    },
  },
  Figures: { type: 'object', required: ['precision', 'recall', 'f1'], properties: { precision: { type: 'number' }, recall: { type: 'number' }, f1: { type: 'number' }, support: { type: 'integer' } } },
  GateResult: {
    type: 'object',
    required: ['heldOutPages', 'heldOutBlocks', 'liveMacroF1', 'candidateMacroF1'],
    additionalProperties: false,
    properties: { heldOutPages: { type: 'integer' }, heldOutBlocks: { type: 'integer' }, liveMacroF1: { type: 'number' }, candidateMacroF1: { type: 'number' } },
  },
  ModelDescription: {
    type: 'object',
    required: ['version', 'trainedAt', 'format', 'formatVersion', 'featurizer', 'labels', 'examplesPerLabel', 'vocabularySize', 'smoothing', 'sequence', 'paywallVerdict', 'articleStart', 'evaluation', 'retrain'],
    additionalProperties: false,
    properties: {
      version: { type: 'string', description: 'Content hash of the model: the same data gives the same version.' },
      trainedAt: { type: 'string' },
      format: { type: 'string' },
      formatVersion: { type: 'integer' },
      featurizer: { type: 'object' },
      labels: { type: 'array', items: { type: 'string' } },
      examplesPerLabel: { type: 'object', additionalProperties: { type: 'integer' } },
      vocabularySize: { type: 'integer' },
      smoothing: { type: 'number' },
      sequence: { type: 'object', required: ['temperature'], properties: { temperature: { type: 'number' } } },
      paywallVerdict: { type: 'boolean', description: 'Results carry a `paywall` verdict (false: `paywall` is null).' },
      articleStart: { type: 'boolean', description: 'Labels pass through the article-start pass, which picks the block each page\'s article starts at (false: a model file written before it).' },
      evaluation: {
        description: 'Cross-validated figures of the recipe that trained this model (`npm run evaluate -- --record`).',
        oneOf: [{ type: 'null' }, {
          type: 'object',
          required: ['command', 'folds', 'seed', 'pages', 'blocks', 'macroF1', 'accuracy', 'perLabel', 'contentChars'],
          properties: {
            command: { type: 'string' }, measuredAt: { type: 'string' }, folds: { type: 'integer' }, seed: { type: 'integer' }, pages: { type: 'integer' }, blocks: { type: 'integer' },
            macroF1: { type: 'number' }, accuracy: { type: 'number' }, perLabel: { type: 'object', additionalProperties: ref('Figures') }, contentChars: ref('Figures'),
            paywall: {
              type: 'object', description: 'The page verdict, cross-validated by page.', required: ['pages', 'wall', 'truncated'],
              properties: { pages: { type: 'integer' }, wall: ref('Figures'), truncated: ref('Figures') },
            },
          },
        }],
      },
      retrain: {
        description: 'How a retrain made this model; null for the shipped model.',
        oneOf: [{ type: 'null' }, {
          type: 'object',
          required: ['exampleBatches', 'exampleBlocks', 'corpusPages', 'gate'],
          properties: { exampleBatches: { type: 'integer' }, exampleBlocks: { type: 'integer' }, corpusPages: { type: 'integer' }, gate: ref('GateResult') },
        }],
      },
    },
  },
  ExamplesResponse: {
    type: 'object',
    required: ['stored', 'duplicate', 'batch', 'pages', 'blocks', 'total'],
    additionalProperties: false,
    properties: {
      stored: { type: 'boolean', description: 'false when this Idempotency-Key was stored before with the same content.' },
      duplicate: { type: 'boolean' },
      batch: { type: 'integer', description: 'Sequence number of the stored batch.' },
      pages: { type: 'integer' },
      blocks: { type: 'integer' },
      total: { type: 'object', description: 'Everything stored so far.', required: ['batches', 'blocks'], properties: { batches: { type: 'integer' }, blocks: { type: 'integer' } } },
    },
  },
  RetrainJob: {
    type: 'object',
    required: ['id', 'state', 'force', 'startedAt', 'examples'],
    additionalProperties: false,
    properties: {
      id: { type: 'string' },
      state: { type: 'string', enum: ['running', 'activated', 'kept', 'failed'], description: '`kept`: trained, but the gate found it worse than the live model, so it is not live.' },
      force: { type: 'boolean' },
      startedAt: { type: 'string' },
      finishedAt: { type: 'string' },
      examples: { type: 'object', required: ['batches', 'blocks'], properties: { batches: { type: 'integer' }, blocks: { type: 'integer' } } },
      version: { type: 'string', description: 'The new model version, once trained.' },
      gate: ref('GateResult'),
      reason: { type: 'string', description: 'Why the model was kept, or why the job failed.' },
    },
  },
  VersionList: {
    type: 'object',
    required: ['live', 'versions'],
    additionalProperties: false,
    properties: {
      live: { type: ['string', 'null'] },
      versions: {
        type: 'array',
        items: {
          type: 'object', required: ['version', 'trainedAt', 'live', 'labels'], additionalProperties: false,
          properties: { version: { type: 'string' }, trainedAt: { type: 'string' }, live: { type: 'boolean' }, labels: { type: 'array', items: { type: 'string' } } },
        },
      },
    },
  },
};

const SEED_LINES = ['Skip to main content', 'Harbour ferry fares rise for the first time in six years', 'By Maren Holt', 'Commuters on the east shore will pay 40 cents more from March, the port authority said on Tuesday.', 'Share on Facebook'];

export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'pagesift',
    version: '1',
    description: 'Labels every block of scraped page text: content, caption, icon, sponsored, paywall or navigation. '
      + 'Every response carries X-Request-Id (the caller\'s, when it sends a sane one); error bodies carry it as `requestId`.',
  },
  tags: [{ name: 'classify' }, { name: 'model' }, { name: 'admin', description: 'Retraining; needs `Authorization: Bearer <ADMIN_TOKEN>`, 403 when ADMIN_TOKEN is not set.' }, { name: 'operations' }],
  paths: {
    '/v1/classify': {
      post: {
        operationId: 'classify', tags: ['classify'], summary: 'Label every block of one page',
        requestBody: {
          required: true,
          content: {
            ...json(ref('ClassifyRequest'), { text: { id: 'ferry-fares', text: SEED_LINES.join('\n') }, blocks: { blocks: SEED_LINES } }),
            'text/plain': { schema: { type: 'string' }, examples: { text: { value: SEED_LINES.join('\n') } } },
          },
        },
        responses: { 200: response('A label for every block.', ref('ClassifyResponse')), ...errors('invalid_json', 'invalid_field', 'invalid_body', 'payload_too_large', 'too_many_blocks', 'unsupported_media_type', 'not_ready') },
      },
    },
    '/v1/classify/batch': {
      post: {
        operationId: 'classifyBatch', tags: ['classify'], summary: 'Label the blocks of many pages',
        requestBody: { required: true, content: json(ref('BatchRequest'), { pages: { pages: [{ id: 'a', text: SEED_LINES.join('\n') }, { id: 'b', blocks: SEED_LINES.slice(0, 3) }, { id: 'bad', text: 5 }] } }) },
        responses: { 200: response('One result per page, in order; a bad page\'s result is its error.', ref('BatchResponse')), ...errors('invalid_json', 'invalid_field', 'invalid_body', 'payload_too_large', 'too_many_blocks', 'unsupported_media_type', 'not_ready') },
      },
    },
    '/v1/model': {
      get: { operationId: 'getModel', tags: ['model'], summary: 'The live model\'s metadata and evaluation figures', responses: { 200: response('The live model.', ref('ModelDescription')), ...errors('not_ready') } },
    },
    '/v1/examples': {
      post: {
        operationId: 'addExamples', ...ADMIN, summary: 'Store labelled blocks for the next retrain (durably, once)',
        parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', pattern: '^[\\w.:-]{1,128}$' }, description: 'The same key with the same content is stored once; with other content it is a 409.' }],
        requestBody: {
          required: true,
          content: json(ref('ExamplesRequest'), {
            pages: { pages: [{ id: 'ferry-fares', lang: 'en', wall: false, truncated: false, blocks: [{ text: SEED_LINES[0], label: 'navigation' }, { text: SEED_LINES[3], label: 'content' }, { text: SEED_LINES[4], label: 'icon' }] }] },
            examples: { examples: [{ text: 'Anzeige', label: 'sponsored' }, { text: 'Photo: Maren Holt', label: 'caption' }] },
          }),
        },
        responses: {
          201: response('Stored.', ref('ExamplesResponse')),
          200: response('Already stored under this Idempotency-Key; nothing new was stored.', ref('ExamplesResponse')),
          ...errors(...ADMIN_ERRORS, 'invalid_json', 'invalid_field', 'invalid_body', 'payload_too_large', 'unsupported_media_type', 'conflict'),
        },
      },
    },
    '/v1/retrain': {
      post: {
        operationId: 'retrain', ...ADMIN, summary: 'Train on the corpus and every stored example, in the background',
        requestBody: { required: false, content: json(ref('RetrainRequest'), { plain: {}, force: { force: true } }) },
        responses: {
          202: response('Started; poll the Location.', ref('RetrainJob'), { Location: { schema: { type: 'string' }, description: '/v1/retrain/{id}' } }),
          ...errors(...ADMIN_ERRORS, 'invalid_json', 'invalid_field', 'unsupported_media_type', 'conflict'),
        },
      },
    },
    '/v1/retrain/{id}': {
      get: {
        operationId: 'getRetrainJob', ...ADMIN, summary: 'A retrain job\'s state (kept in memory until the service restarts)',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: response('The job.', ref('RetrainJob')), ...errors(...ADMIN_ERRORS, 'not_found') },
      },
    },
    '/v1/model/versions': {
      get: { operationId: 'listModelVersions', ...ADMIN, summary: 'The model versions on disk', responses: { 200: response('Newest first.', ref('VersionList')), ...errors(...ADMIN_ERRORS) } },
    },
    '/v1/model/rollback': {
      post: { operationId: 'rollback', ...ADMIN, summary: 'Make the previous live version live again', responses: { 200: response('The model now live.', ref('ModelDescription')), ...errors(...ADMIN_ERRORS, 'conflict') } },
    },
    '/health': {
      get: { operationId: 'health', tags: ['operations'], summary: 'The process answers', responses: { 200: response('Up.', { type: 'object', required: ['status'], properties: { status: { const: 'ok' } } }) } },
    },
    '/ready': {
      get: {
        operationId: 'ready', tags: ['operations'], summary: 'A model is loaded',
        responses: { 200: response('Ready.', { type: 'object', required: ['status', 'model'], properties: { status: { const: 'ready' }, model: ref('ModelRef') } }), ...errors('not_ready') },
      },
    },
    '/metrics': {
      get: { operationId: 'metrics', tags: ['operations'], summary: 'Prometheus metrics of every worker (absent when METRICS_ENABLED=false)', responses: { 200: { description: 'Prometheus text format.', content: { 'text/plain': { schema: { type: 'string' } } } } } },
    },
    '/openapi.json': {
      get: { operationId: 'openapi', tags: ['operations'], summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1.', content: { 'application/json': { schema: { type: 'object' } } } } } },
    },
    '/': {
      get: { operationId: 'labellingPage', tags: ['operations'], summary: 'The labelling page (HTML)', responses: { 200: { description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } } } },
    },
  },
  components: {
    schemas: SCHEMAS,
    securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' } },
  },
} as const;
