/**
 * @module http/routes/health
 * /health: the process answers. /ready: a model is loaded and requests can be classified.
 */
import { Router } from 'express';
import { PagesiftError } from '../../errors';
import type { ModelHolder } from '../model-holder';

export function healthRoutes(models: ModelHolder): Router {
  const router = Router();
  router.get('/health', function health(_req, res) {
    res.json({ status: 'ok' });
  });
  router.get('/ready', function ready(_req, res) {
    const model = models.current;
    if (!model) throw new PagesiftError('not_ready', 'the model is not loaded yet');
    res.json({ status: 'ready', model: { version: model.file.version } });
  });
  return router;
}
