/** The real app with the shipped model and a captured log. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readLabelledDir } from '../../src/data/labelled-pages';
import { ExampleStore } from '../../src/retrain/example-store';
import { ModelVersions } from '../../src/retrain/model-versions';
import { Retrainer } from '../../src/retrain/retrainer';
import { LocalAdminBackend } from '../../src/retrain/admin-backend';
import { createMetrics, retrainCounter } from '../../src/http/metrics';
import { createApp } from '../../src/http/app';
import { ModelHolder } from '../../src/http/model-holder';
import { createLogger } from '../../src/log';
import { compileModel, type RuntimeModel } from '../../src/model/runtime-model';
import { readModel } from '../../src/model/store';
import { sink, type Sink } from './sink';

export const ROOT = path.resolve(__dirname, '..', '..');
export const SHIPPED_MODEL = path.join(ROOT, 'models', 'pagesift-model.json');
export const TRAINING_DATA = path.join(ROOT, 'training-data');
/** The user's own example page (../shared/examples), kept as a fixture; never trained on. */
export const SEED_DIR = path.join(ROOT, 'test', 'fixtures', 'pages', 'seed-page');

let shipped: RuntimeModel | undefined;
export function shippedModel(): RuntimeModel {
  shipped ??= compileModel(readModel(SHIPPED_MODEL));
  return shipped;
}

export interface TestApp {
  readonly app: ReturnType<typeof createApp>;
  readonly log: Sink;
  readonly models: ModelHolder;
}

export function testApp(options: { maxBodyBytes?: number; maxBlocks?: number; maxBatchPages?: number; loaded?: boolean } = {}): TestApp {
  const log = sink();
  const models = new ModelHolder(options.loaded === false ? undefined : shippedModel());
  const app = createApp({
    logger: createLogger('info', log.stream),
    models,
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    maxBlocks: options.maxBlocks ?? 5000,
    ...(options.maxBatchPages ? { maxBatchPages: options.maxBatchPages } : {}),
  });
  return { app, log, models };
}

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** A small corpus (the first `pages` training pages) in a directory of its own: retrains in seconds. */
export function smallCorpus(pages = 40): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pagesift-corpus-'));
  const lines = readLabelledDir(TRAINING_DATA).slice(0, pages).map((p) => JSON.stringify(p));
  fs.writeFileSync(path.join(dir, 'corpus.jsonl'), `${lines.join('\n')}\n`);
  return dir;
}

export interface AdminTestApp extends TestApp {
  readonly dataDir: string;
  readonly store: ExampleStore;
  readonly versions: ModelVersions;
  readonly retrainer: Retrainer;
}

/** The real app with retraining on: a fresh DATA_DIR, the given corpus, the real worker thread. */
export function adminApp(options: { trainingDataDir: string; margin?: number; keep?: number; dataDir?: string; model?: RuntimeModel; maxExamples?: number; maxChars?: number }): AdminTestApp {
  const log = sink();
  const logger = createLogger('info', log.stream);
  const models = new ModelHolder(options.model ?? shippedModel());
  const metrics = createMetrics(models);
  const retrains = retrainCounter(metrics.registry);
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pagesift-data-'));
  const store = ExampleStore.open(dataDir);
  const versions = new ModelVersions(dataDir, options.keep ?? 5);
  const retrainer = new Retrainer({
    store, versions, trainingDataDir: options.trainingDataDir, margin: options.margin ?? 0.02, logger,
    live: () => models.current?.file,
    setLive: (file) => models.set(compileModel(file)),
    onFinished: (job) => retrains.inc({ outcome: job.state }),
  });
  const app = createApp({
    logger,
    models,
    maxBodyBytes: 1024 * 1024,
    maxBlocks: 5000,
    admin: { adminToken: ADMIN_TOKEN, limits: { maxExamples: options.maxExamples ?? 50, maxChars: options.maxChars ?? 300 }, backend: new LocalAdminBackend(store, versions, retrainer) },
    metrics: { metrics, exposition: () => metrics.registry.metrics() },
  });
  return { app, log, models, dataDir, store, versions, retrainer };
}
