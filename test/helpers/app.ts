/** The real app with the shipped model and a captured log. */
import path from 'node:path';
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

export function testApp(options: { maxBodyBytes?: number; maxBlocks?: number; loaded?: boolean } = {}): TestApp {
  const log = sink();
  const models = new ModelHolder(options.loaded === false ? undefined : shippedModel());
  const app = createApp({
    logger: createLogger('info', log.stream),
    models,
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    maxBlocks: options.maxBlocks ?? 5000,
  });
  return { app, log, models };
}
