/**
 * @module http/routes/model
 * GET /v1/model: the live model's metadata (not its feature counts).
 */
import { Router } from 'express';
import { PagesiftError } from '../../errors';
import type { ModelFile } from '../../model/model-file';
import type { ModelHolder } from '../model-holder';
import { methodNotAllowed } from '../middleware/not-found';

export function modelMetadata(file: ModelFile) {
  return {
    version: file.version,
    trainedAt: file.trainedAt,
    format: file.format,
    formatVersion: file.formatVersion,
    featurizer: file.featurizer,
    labels: file.labels,
    examplesPerLabel: file.examplesPerLabel,
    vocabularySize: file.vocabularySize,
    smoothing: file.smoothing,
    sequence: { temperature: file.sequence.temperature },
    evaluation: file.evaluation ?? null,
    // How a retrain made this model: examples learned and the gate's figures (null when shipped).
    retrain: file.retrain ?? null,
  };
}

export function modelRoutes(models: ModelHolder): Router {
  const router = Router();
  router.route('/v1/model')
    .get(function getModel(_req, res) {
      const model = models.current;
      if (!model) throw new PagesiftError('not_ready', 'the model is not loaded yet');
      res.json(modelMetadata(model.file));
    })
    .all(methodNotAllowed('GET'));
  return router;
}
