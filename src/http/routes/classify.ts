/**
 * @module http/routes/classify
 * POST /v1/classify: page text or blocks in, a label for every block out.
 */
import { Router } from 'express';
import { PagesiftError } from '../../errors';
import { classifyPage } from '../../pipeline/classify';
import type { ModelHolder } from '../model-holder';
import { parseBody } from '../middleware/parse-body';
import { methodNotAllowed } from '../middleware/not-found';
import { parseClassifyRequest } from '../request';

export interface ClassifyRouteOptions {
  readonly maxBodyBytes: number;
  readonly maxBlocks: number;
}

export function classifyRoutes(models: ModelHolder, options: ClassifyRouteOptions): Router {
  const router = Router();
  router.route('/v1/classify')
    .post(...parseBody(options.maxBodyBytes), function classify(req, res) {
      // Read the live model once: a model swapped in meanwhile applies to the next request.
      const model = models.current;
      if (!model) throw new PagesiftError('not_ready', 'the model is not loaded yet');
      const request = parseClassifyRequest(req.body, req.is('text/plain') === 'text/plain');
      const result = classifyPage(request.input, model, { maxBlocks: options.maxBlocks });
      res.locals.blocks = result.blocks.length;
      res.json({ id: request.id, model: { version: model.file.version }, ...result });
    })
    .all(methodNotAllowed('POST'));
  return router;
}
