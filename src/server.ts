/**
 * @module server
 * Entry point: config -> logger -> one process (WORKERS=1), or a cluster primary and its workers.
 */
import './natural'; // first: keeps natural's dotenv quiet should anything load its index
import cluster from 'node:cluster';
import { readConfig, type Config } from './config';
import { createLogger, type Logger } from './log';
import { ModelHolder } from './http/model-holder';
import type { AdminOptions } from './http/routes/admin';
import { compileModel } from './model/runtime-model';
import { LocalAdminBackend } from './retrain/admin-backend';
import { ExampleStore } from './retrain/example-store';
import { ModelVersions } from './retrain/model-versions';
import { Retrainer } from './retrain/retrainer';
import { exampleLimits, serve, startupFailure } from './serve';
import { createMetrics, retrainCounter } from './http/metrics';
import { runPrimary, runWorker } from './cluster';

/** One process does everything: serves, stores examples, retrains. */
function runSingle(config: Config, logger: Logger): void {
  const models = new ModelHolder();
  const versions = new ModelVersions(config.dataDir, config.modelKeep);
  const metrics = config.metricsEnabled ? createMetrics(models) : undefined;
  const retrains = metrics ? retrainCounter(metrics.registry) : undefined;
  let admin: AdminOptions | undefined;
  if (config.adminToken !== undefined) {
    try {
      versions.sweep();
      const store = ExampleStore.open(config.dataDir);
      const retrainer = new Retrainer({
        store, versions, trainingDataDir: config.trainingDataDir, margin: config.retrainMargin, logger,
        live: () => models.current?.file,
        setLive: (file) => models.set(compileModel(file)),
        onFinished: (job) => retrains?.inc({ outcome: job.state }),
      });
      admin = { adminToken: config.adminToken, limits: exampleLimits(config), backend: new LocalAdminBackend(store, versions, retrainer) };
    } catch (error) {
      startupFailure(error, logger);
    }
  }
  serve(config, logger, models, versions, admin, metrics ? { metrics, exposition: () => metrics.registry.metrics() } : undefined);
}

function main(): void {
  let config: Config;
  try {
    config = readConfig(process.env);
  } catch (error) {
    startupFailure(error);
  }
  const logger = createLogger(config.logLevel);
  if (config.workers === 1) runSingle(config, logger);
  else if (cluster.isPrimary) runPrimary(config, logger);
  else runWorker(config, logger);
}

main();
