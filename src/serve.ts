/**
 * @module serve
 * What every serving process does, alone or as a cluster worker: listen, load the model, say
 * "ready", drain on SIGTERM; and how it fails at start (one JSON line, exit 1).
 */
import http, { type Server } from 'node:http';
import type { Config } from './config';
import { PagesiftError } from './errors';
import { createLogger, type Logger } from './log';
import { createApp, type MetricsOptions } from './http/app';
import { ModelHolder } from './http/model-holder';
import { compileModel } from './model/runtime-model';
import { readModel } from './model/store';
import type { ExampleLimits } from './retrain/examples';
import type { ModelFile } from './model/model-file';
import type { ModelVersions } from './retrain/model-versions';
import type { AdminOptions } from './http/routes/admin';

/** How long in-flight requests get to finish after SIGTERM before we exit anyway. */
const DRAIN_TIMEOUT_MS = 10_000;

export function startupFailure(error: unknown, logger?: Logger): never {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof PagesiftError ? error.code : 'internal';
  if (logger) logger.fatal({ code }, message);
  else process.stdout.write(`${JSON.stringify({ level: 60, time: Date.now(), service: 'pagesift', code, msg: message })}\n`);
  process.exit(1);
}

/**
 * On the first SIGTERM or SIGINT: `begin` starts the drain, and the process exits 0 anyway once
 * `timeoutMs` has passed (with `stillBusy` logged), so a stuck request cannot stop a redeploy.
 */
export function onStopSignal(logger: Logger, timeoutMs: number, stillBusy: string, begin: (signal: string) => void): void {
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    begin(signal);
    setTimeout(() => {
      logger.warn(stillBusy);
      process.exit(0);
    }, timeoutMs).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

export function drainOnSignals(server: Server, logger: Logger): void {
  onStopSignal(logger, DRAIN_TIMEOUT_MS, 'requests still in flight after the drain timeout; exiting', (signal) => {
    logger.info({ signal }, 'stopping: no new connections, finishing requests in flight');
    server.close(() => {
      logger.info('stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
  });
}

/** The model to serve at start: a retrained version made live earlier wins, across restarts. */
export function startupModel(config: Config, versions: ModelVersions): { file: ModelFile; source: 'retrained' | 'shipped' } {
  const retrained = versions.live();
  return retrained ? { file: retrained, source: 'retrained' } : { file: readModel(config.modelPath), source: 'shipped' };
}

export function exampleLimits(config: Config): ExampleLimits {
  return { maxExamples: config.maxExamplesPerRequest, maxChars: config.maxExampleChars };
}

/** Listens, then loads the model (so /health answers and /ready says 503 meanwhile), then logs "ready". */
export function serve(config: Config, logger: Logger, models: ModelHolder, versions: ModelVersions, admin: AdminOptions | undefined, metrics: MetricsOptions | undefined): void {
  const app = createApp({
    logger, models, maxBodyBytes: config.maxBodyBytes, maxBlocks: config.maxBlocks, maxBatchPages: config.maxBatchPages,
    ...(admin ? { admin } : {}), ...(metrics ? { metrics } : {}),
  });
  // Slow clients cannot hold a connection: deadlines for the headers and the whole request, checked
  // every second (Node's default check runs every 30 s), and bounded keep-alive.
  const server = http.createServer({
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, config.headersTimeoutMs),
  }, app);
  server.maxRequestsPerSocket = config.maxRequestsPerSocket;
  const cannotListen = (error: Error): never => startupFailure(error, logger);
  server.once('error', cannotListen);
  server.listen(config.port, config.host, () => {
    server.off('error', cannotListen);
    try {
      const { file, source } = startupModel(config, versions);
      models.set(compileModel(file));
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      logger.info({ port, pid: process.pid, host: config.host, model: file.version, source, labels: file.labels, retraining: admin !== undefined }, 'ready');
    } catch (loadError) {
      startupFailure(loadError, logger);
    }
  });
  drainOnSignals(server, logger);
}

