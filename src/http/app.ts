/**
 * @module http/app
 * Assembles the Express app from its routes and middleware. It never listens: server.ts does,
 * and tests drive it through supertest.
 */
import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../log';
import type { ModelHolder } from './model-holder';
import { errorHandler } from './middleware/error-handler';
import { notFound } from './middleware/not-found';
import { classifyRoutes } from './routes/classify';
import { healthRoutes } from './routes/health';
import { uiRoutes } from './routes/ui';
import { countRequests, type Metrics } from './metrics';
import { modelRoutes } from './routes/model';
import { adminRoutes, type AdminOptions } from './routes/admin';
import { openapiRoutes } from './routes/openapi';

export interface AppOptions {
  readonly models: ModelHolder;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  readonly maxBlocks: number;
  /** Most pages in one batch request (default 1000). */
  readonly maxBatchPages?: number;
  /** Absent: retraining is disabled and its routes answer 403. */
  readonly admin?: AdminOptions;
  /** Absent: no GET /metrics (METRICS_ENABLED=false). */
  readonly metrics?: MetricsOptions;
}

export interface MetricsOptions {
  readonly metrics: Metrics;
  /** The text a scrape gets: this process's registry, or every worker's added up by the primary. */
  readonly exposition: () => Promise<string>;
}

/** A caller's X-Request-Id is kept when it is a sane token, so logs join up across services. */
const REQUEST_ID = /^[\w.:-]{1,128}$/;

export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use(pinoHttp({
    logger: options.logger,
    genReqId(req, res) {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // One line per request, without headers or bodies (page text and tokens stay out of logs).
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customProps: (_req, res) => ('locals' in res && typeof (res as express.Response).locals.blocks === 'number'
      ? { blocks: (res as express.Response).locals.blocks as number }
      : {}),
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
  }));

  if (options.metrics) {
    const { metrics, exposition } = options.metrics;
    app.use(countRequests(metrics));
    app.get('/metrics', async (_req, res) => {
      res.type(metrics.registry.contentType).send(await exposition());
    });
  }
  app.use(uiRoutes());
  app.use(healthRoutes(options.models));
  app.use(openapiRoutes());
  app.use(modelRoutes(options.models));
  app.use(adminRoutes(options.admin, options.models, options.maxBodyBytes, options.metrics?.metrics));
  app.use(classifyRoutes(options.models, { maxBodyBytes: options.maxBodyBytes, maxBlocks: options.maxBlocks, maxBatchPages: options.maxBatchPages ?? 1000, ...(options.metrics ? { metrics: options.metrics.metrics } : {}) }));
  app.use(notFound());
  app.use(errorHandler());
  return app;
}
