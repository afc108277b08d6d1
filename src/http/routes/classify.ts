/**
 * @module http/routes/classify
 * POST /v1/classify: page text or blocks in, a label for every block out.
 * POST /v1/classify/batch: many pages in one request; each page's result (or its own error) in order.
 */
import { Router } from 'express';
import { PagesiftError } from '../../errors';
import { classifyPage } from '../../pipeline/classify';
import type { PageResult } from '../../types';
import type { Metrics } from '../metrics';
import type { ModelHolder } from '../model-holder';
import { parseBody } from '../middleware/parse-body';
import { methodNotAllowed } from '../middleware/not-found';
import { parseBatchRequest, parseClassifyRequest } from '../request';
import { STATUS_BY_CODE } from '../middleware/error-handler';

export interface ClassifyRouteOptions {
  readonly maxBodyBytes: number;
  readonly maxBlocks: number;
  readonly maxBatchPages: number;
  readonly metrics?: Metrics;
}

export function classifyRoutes(models: ModelHolder, options: ClassifyRouteOptions): Router {
  const router = Router();
  /** Classifies one page and counts it (blocks by label, time per page). */
  const timed = (run: () => PageResult): PageResult => {
    const started = process.hrtime.bigint();
    const result = run();
    options.metrics?.recordPage(result, Number(process.hrtime.bigint() - started) / 1e9);
    return result;
  };
  router.route('/v1/classify')
    .post(...parseBody(options.maxBodyBytes), function classify(req, res) {
      // Read the live model once: a model swapped in meanwhile applies to the next request.
      const model = models.current;
      if (!model) throw new PagesiftError('not_ready', 'the model is not loaded yet');
      const request = parseClassifyRequest(req.body, req.is('text/plain') === 'text/plain');
      const result = timed(() => classifyPage(request.input, model, { maxBlocks: options.maxBlocks }));
      res.locals.blocks = result.blocks.length;
      res.json({ id: request.id, model: { version: model.file.version }, ...result });
    })
    .all(methodNotAllowed('POST'));

  router.route('/v1/classify/batch')
    .post(...parseBody(options.maxBodyBytes), function classifyBatch(req, res) {
      const model = models.current;
      if (!model) throw new PagesiftError('not_ready', 'the model is not loaded yet');
      const pages = parseBatchRequest(req.body, options.maxBatchPages);
      let blocks = 0;
      const results = pages.map((page) => {
        try {
          const request = parseClassifyRequest(page, false);
          const result = timed(() => classifyPage(request.input, model, { maxBlocks: options.maxBlocks }));
          blocks += result.blocks.length;
          return { id: request.id, ...result };
        } catch (error) {
          if (!(error instanceof PagesiftError)) throw error;
          // One page's bad input is that page's result; the other pages are still classified.
          const id = typeof page === 'object' && page !== null && typeof (page as { id?: unknown }).id === 'string' ? (page as { id: string }).id : null;
          return { id, error: { status: STATUS_BY_CODE[error.code], code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
        }
      });
      res.locals.blocks = blocks;
      res.json({ model: { version: model.file.version }, results });
    })
    .all(methodNotAllowed('POST'));
  return router;
}
