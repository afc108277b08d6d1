/**
 * @module cli/train
 * npm run train [-- --data DIR] [--out FILE]: trains natural's BayesClassifier on every page under
 * training-data/ and writes the model file. Deterministic: the same data gives the same bytes.
 */
import path from 'node:path';
import { DEFAULT_MODEL_PATH } from '../config';
import { readLabelledDir } from '../data/labelled-pages';
import { DEFAULT_TRAIN_OPTIONS, trainModel } from '../model/train';
import { writeModel } from '../model/store';
import { parseCliArgs, runCli, EXIT_USAGE } from './args';
import { progress } from './progress';
import { DEFAULT_DATA_DIR } from './paths';

const USAGE = 'usage: npm run train -- [--data DIR] [--out FILE]';

runCli(() => {
  const { values } = parseCliArgs(USAGE, { data: { type: 'string' }, out: { type: 'string' } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const dataDir = path.resolve(values.data ?? DEFAULT_DATA_DIR);
  const out = path.resolve(values.out ?? DEFAULT_MODEL_PATH);
  if (!out.endsWith('.json')) {
    process.stderr.write(`--out must name a .json file\n${USAGE}\n`);
    process.exit(EXIT_USAGE);
  }
  const started = Date.now();
  const pages = readLabelledDir(dataDir);
  // Each step with the seconds it took: where a run's time goes, without a profiler.
  const report = progress('step');
  let stepStarted = Date.now();
  const onStep = (done: number, total: number, what: string): void => {
    const now = Date.now();
    report(done, total, `${what} (${((now - stepStarted) / 1000).toFixed(1)} s)`);
    stepStarted = now;
  };
  const model = writeModel(out, trainModel(pages, DEFAULT_TRAIN_OPTIONS, new Date().toISOString(), onStep));
  const blocks = pages.reduce((n, p) => n + p.blocks.length, 0);
  process.stdout.write(
    `trained on ${pages.length} pages, ${blocks} blocks in ${((Date.now() - started) / 1000).toFixed(1)} s\n` +
    `model ${model.version}: ${model.labels.length} labels, ${model.vocabularySize} features -> ${path.relative(process.cwd(), out) || out}\n`,
  );
});
