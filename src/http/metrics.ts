/**
 * @module http/metrics
 * Prometheus metrics through prom-client: requests by route and status, classification by label,
 * the live model's version, retrains by outcome, examples accepted, and the process's defaults.
 * Routes are labelled by their pattern ("/v1/retrain/:id"), never the raw path, so a scanner cannot
 * create a series per URL. With several workers, the primary adds up every worker's numbers
 * (prom-client's AggregatorRegistry, cluster.ts) and its own retrain counts.
 */
import type { RequestHandler } from 'express';
import client from 'prom-client';
import type { PageResult } from '../types';
import type { ModelHolder } from './model-holder';

export interface Metrics {
  readonly registry: client.Registry;
  readonly requests: client.Counter;
  readonly duration: client.Histogram;
  recordPage(result: PageResult, seconds: number): void;
  recordExamples(blocks: number): void;
}

/** A worker's (or the single process's) metrics. */
export function createMetrics(models: ModelHolder, options: { withDefaults: boolean } = { withDefaults: true }): Metrics {
  const registry = new client.Registry();
  if (options.withDefaults) client.collectDefaultMetrics({ register: registry });
  const requests = new client.Counter({ name: 'pagesift_http_requests_total', help: 'HTTP requests by route, method and status', labelNames: ['route', 'method', 'status'], registers: [registry] });
  const duration = new client.Histogram({
    name: 'pagesift_http_request_duration_seconds', help: 'HTTP request latency by route, method and status', labelNames: ['route', 'method', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry],
  });
  const blocks = new client.Counter({ name: 'pagesift_blocks_classified_total', help: 'Blocks classified, by label', labelNames: ['label'], registers: [registry] });
  const pages = new client.Counter({ name: 'pagesift_pages_classified_total', help: 'Pages classified', registers: [registry] });
  const pageSeconds = new client.Histogram({
    name: 'pagesift_classify_duration_seconds', help: 'Time to classify one page (segment to summary)',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5], registers: [registry],
  });
  const examples = new client.Counter({ name: 'pagesift_examples_accepted_total', help: 'Labelled blocks accepted by POST /v1/examples (duplicates not counted)', registers: [registry] });
  new client.Gauge({
    name: 'pagesift_model_info', help: 'The live model: 1 for its version', labelNames: ['version'], registers: [registry],
    // Across workers, 1 per version served (not the number of workers serving it).
    aggregator: 'max',
    collect() {
      this.reset();
      const version = models.current?.file.version;
      if (version) this.set({ version }, 1);
    },
  });
  // Before any request, so a scrape shows the routes at 0 rather than nothing.
  pages.inc(0);
  examples.inc(0);
  return {
    registry,
    requests,
    duration,
    recordPage(result, seconds) {
      pages.inc();
      pageSeconds.observe(seconds);
      for (const [label, count] of Object.entries(result.summary)) if (count > 0) blocks.inc({ label }, count);
    },
    recordExamples(n) {
      examples.inc(n);
    },
  };
}

/** Counts every request once it has been answered, labelled by the route pattern that served it. */
export function countRequests(metrics: Metrics): RequestHandler {
  const { requests, duration } = metrics;
  return function recordRequest(req, res, next) {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      const labels = { route, method: req.method, status: String(res.statusCode) };
      requests.inc(labels);
      duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}

/** Retrains by outcome: in the single process's registry, or in a cluster primary's own. */
export function retrainCounter(registry: client.Registry): client.Counter {
  const counter = new client.Counter({ name: 'pagesift_retrains_total', help: 'Retrains by outcome: activated, kept (refused by the gate) or failed', labelNames: ['outcome'], registers: [registry] });
  for (const outcome of ['activated', 'kept', 'failed']) counter.inc({ outcome }, 0);
  return counter;
}
