/**
 * @module server
 * Entry point: config -> logger -> listen -> model -> ready. Drains on SIGTERM.
 */
import './natural'; // first: keeps natural's dotenv quiet should anything load its index
import type { Server } from 'node:http';
import { readConfig, type Config } from './config';
import { PagesiftError } from './errors';
import { createLogger, type Logger } from './log';
import { createApp } from './http/app';
import { ModelHolder } from './http/model-holder';
import { compileModel } from './model/runtime-model';
import { readModel } from './model/store';
import { ExampleStore } from './retrain/example-store';
import { ModelVersions } from './retrain/model-versions';
import { Retrainer } from './retrain/retrainer';
import type { AdminOptions } from './http/routes/admin';

/** How long in-flight requests get to finish after SIGTERM before we exit anyway. */
const DRAIN_TIMEOUT_MS = 10_000;

function startupFailure(error: unknown, logger?: Logger): never {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof PagesiftError ? error.code : 'internal';
  if (logger) logger.fatal({ code }, message);
  else process.stdout.write(`${JSON.stringify({ level: 60, time: Date.now(), service: 'pagesift', code, msg: message })}\n`);
  process.exit(1);
}

function drainOnSignals(server: Server, logger: Logger): void {
  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'stopping: no new connections, finishing requests in flight');
    server.close(() => {
      logger.info('stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => {
      logger.warn('requests still in flight after the drain timeout; exiting');
      process.exit(0);
    }, DRAIN_TIMEOUT_MS).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

function main(): void {
  let config: Config;
  try {
    config = readConfig(process.env);
  } catch (error) {
    startupFailure(error);
  }
  const logger = createLogger(config.logLevel);
  const models = new ModelHolder();
  const versions = new ModelVersions(config.dataDir, config.modelKeep);
  let admin: AdminOptions | undefined;
  if (config.adminToken !== undefined) {
    try {
      versions.sweep();
      const store = ExampleStore.open(config.dataDir);
      const retrainer = new Retrainer({ store, versions, models, trainingDataDir: config.trainingDataDir, margin: config.retrainMargin, logger });
      admin = { adminToken: config.adminToken, limits: { maxExamples: config.maxExamplesPerRequest, maxChars: config.maxExampleChars }, store, versions, retrainer };
    } catch (error) {
      startupFailure(error, logger);
    }
  }
  const app = createApp({ logger, models, maxBodyBytes: config.maxBodyBytes, maxBlocks: config.maxBlocks, maxBatchPages: config.maxBatchPages, ...(admin ? { admin } : {}) });
  const server = app.listen(config.port, config.host, (error?: Error) => {
    if (error) startupFailure(error, logger);
    // Listening before the model loads lets /health answer and /ready say 503 meanwhile.
    try {
      // A retrained version made live earlier wins over the shipped model, across restarts.
      const retrained = versions.live();
      const file = retrained ?? readModel(config.modelPath);
      models.set(compileModel(file));
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      logger.info({ port, host: config.host, model: file.version, source: retrained ? 'retrained' : 'shipped', labels: file.labels, retraining: admin !== undefined }, 'ready');
    } catch (loadError) {
      startupFailure(loadError, logger);
    }
  });
  drainOnSignals(server, logger);
}

main();
