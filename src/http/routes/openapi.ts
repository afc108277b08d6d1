/**
 * @module http/routes/openapi
 * GET /openapi.json: the API document, the same object the request bodies are validated against.
 */
import { Router } from 'express';
import { OPENAPI } from '../openapi';
import { methodNotAllowed } from '../middleware/not-found';

export function openapiRoutes(): Router {
  const router = Router();
  const body = JSON.stringify(OPENAPI);
  router.route('/openapi.json')
    .get(function openapi(_req, res) {
      res.type('application/json').send(body);
    })
    .all(methodNotAllowed('GET'));
  return router;
}
