/**
 * @module http/routes/admin
 * Teaching the service, all behind the admin token:
 *   POST /v1/examples          store labelled blocks (durably, once)
 *   POST /v1/retrain           train on the corpus and every stored example, in the background
 *   GET  /v1/retrain/{id}      a retrain job's state
 *   GET  /v1/model/versions    the model versions on disk
 *   POST /v1/model/rollback    make the previous version live again
 */
import express, { Router } from 'express';
import { PagesiftError } from '../../errors';
import { IDEMPOTENCY_KEY, exampleBatch, type ExampleLimits, type ExamplesRequest } from '../../retrain/examples';
import { validateBody } from '../validate';
import type { AdminBackend } from '../../retrain/admin-backend';
import { adminAuth } from '../middleware/admin-auth';
import { parseBody } from '../middleware/parse-body';
import { methodNotAllowed } from '../middleware/not-found';
import type { ModelHolder } from '../model-holder';
import type { Metrics } from '../metrics';

/** What the admin routes work with; absent when ADMIN_TOKEN is not set (every route then answers 403). */
export interface AdminOptions {
  readonly adminToken: string;
  readonly limits: ExampleLimits;
  readonly backend: AdminBackend;
}

function idempotencyKey(header: string | undefined): string | null {
  if (header === undefined) return null;
  if (!IDEMPOTENCY_KEY.test(header)) {
    throw new PagesiftError('invalid_field', 'the Idempotency-Key header must be 1-128 characters of letters, digits, "_", ".", ":" or "-"', { details: { field: 'Idempotency-Key' } });
  }
  return header;
}

export function adminRoutes(admin: AdminOptions | undefined, models: ModelHolder, maxBodyBytes: number, metrics?: Metrics): Router {
  const router = Router();
  const auth = adminAuth(admin?.adminToken);
  // adminAuth has answered 403 already when there is no admin configuration.
  const need = (): AdminOptions => admin as AdminOptions;

  router.route('/v1/examples')
    .post(auth, ...parseBody(maxBodyBytes, { text: false }), async function addExamples(req, res) {
      const o = need();
      const key = idempotencyKey(req.get('idempotency-key'));
      const batch = exampleBatch(validateBody<ExamplesRequest>('ExamplesRequest', req.body), o.limits);
      const result = await o.backend.addExamples(batch, key);
      if (result.stored) metrics?.recordExamples(batch.blocks);
      res.status(result.stored ? 201 : 200).json({
        stored: result.stored,
        duplicate: !result.stored,
        batch: result.seq,
        pages: batch.pages.length,
        blocks: batch.blocks,
        total: result.total,
      });
    })
    .all(methodNotAllowed('POST'));

  router.route('/v1/retrain')
    .post(auth, express.json({ limit: maxBodyBytes, strict: false }), async function startRetrain(req, res) {
      // The body is optional: a bare POST retrains; {"force": true} activates whatever the gate says.
      if (req.body === undefined && Number(req.get('content-length') ?? 0) > 0) {
        throw new PagesiftError('unsupported_media_type', 'send no body, or application/json such as {"force": true}');
      }
      const { force = false } = validateBody<{ force?: boolean }>('RetrainRequest', req.body ?? {});
      const job = await need().backend.startRetrain(force);
      res.status(202).set('Location', `/v1/retrain/${job.id}`).json(job);
    })
    .all(methodNotAllowed('POST'));

  router.route('/v1/retrain/:id')
    .get(auth, async function getJob(req, res) {
      const job = await need().backend.job(String(req.params.id));
      if (!job) throw new PagesiftError('not_found', `no retrain job ${req.params.id} (jobs are kept in memory until the service restarts)`);
      res.json(job);
    })
    .all(methodNotAllowed('GET'));

  router.route('/v1/model/versions')
    .get(auth, async function listVersions(_req, res) {
      res.json({ live: models.current?.file.version ?? null, versions: await need().backend.versions() });
    })
    .all(methodNotAllowed('GET'));

  router.route('/v1/model/rollback')
    .post(auth, async function rollback(_req, res) {
      res.json(await need().backend.rollback());
    })
    .all(methodNotAllowed('POST'));

  return router;
}
