/**
 * @module http/routes/model
 * GET /v1/model: the live model's metadata (not its feature counts).
 */
import { Router } from 'express';
import { PagesiftError } from '../../errors';
import { describeModel } from '../../model/model-file';
import type { ModelHolder } from '../model-holder';
import { methodNotAllowed } from '../middleware/not-found';

export function modelRoutes(models: ModelHolder): Router {
  const router = Router();
  router.route('/v1/model')
    .get(function getModel(_req, res) {
      const model = models.current;
      if (!model) throw new PagesiftError('not_ready', 'the model is not loaded yet');
      res.json(describeModel(model.file));
    })
    .all(methodNotAllowed('GET'));
  return router;
}
