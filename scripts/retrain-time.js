#!/usr/bin/env node
/**
 * How long retraining takes, measured side by side on this machine (run `npm run build` first):
 *   train        npm run train's work: one training on the corpus (the baseline)
 *   retrain +0   a retrain job with no new examples (the gate trains one model held out, then the final)
 *   retrain +N   a retrain job after adding N new blocks (the gate trains both sides, then the final)
 * The new blocks are copies of corpus pages under new ids: only their number matters for time.
 * usage: node scripts/retrain-time.js [--blocks N] [--runs R]
 */
process.env.DOTENV_CONFIG_QUIET = 'true';
const path = require('node:path');
const { parseArgs } = require('node:util');
const dist = path.resolve(__dirname, '..', 'dist');
const { readLabelledDir } = require(path.join(dist, 'data', 'labelled-pages'));
const { trainModel, DEFAULT_TRAIN_OPTIONS } = require(path.join(dist, 'model', 'train'));
const { retrainWithGate } = require(path.join(dist, 'retrain', 'gate'));

const { values } = parseArgs({ options: { blocks: { type: 'string', default: '1000' }, runs: { type: 'string', default: '3' } } });
const blocks = Number(values.blocks);
const runs = Number(values.runs);
const corpus = readLabelledDir(path.resolve(__dirname, '..', 'training-data'));

const added = [];
for (let i = 0, n = 0; n < blocks; i++) {
  const page = corpus[(i * 7) % corpus.length];
  const take = page.blocks.slice(0, blocks - n);
  added.push({ id: `added-${i}`, blocks: take });
  n += take.length;
}
const batch = { seq: 1, key: null, digest: 'timing', receivedAt: '', pages: added };
const at = new Date().toISOString();

const tasks = {
  train: () => trainModel(corpus, DEFAULT_TRAIN_OPTIONS, at),
  'retrain +0': () => retrainWithGate({ corpus, batches: [], liveBatches: 0, options: DEFAULT_TRAIN_OPTIONS, trainedAt: at }),
  [`retrain +${blocks}`]: () => retrainWithGate({ corpus, batches: [batch], liveBatches: 0, options: DEFAULT_TRAIN_OPTIONS, trainedAt: at }),
};
const times = Object.fromEntries(Object.keys(tasks).map((k) => [k, []]));
// Interleaved, so drift on a noisy machine hits every task alike; the median of each is reported.
for (let r = 0; r < runs; r++) {
  for (const [name, task] of Object.entries(tasks)) {
    const t0 = process.hrtime.bigint();
    task();
    times[name].push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(times.train);
console.log(`corpus: ${corpus.length} pages, ${corpus.reduce((n, p) => n + p.blocks.length, 0)} blocks; ${runs} runs each, median`);
for (const [name, xs] of Object.entries(times)) {
  console.log(`${name.padEnd(14)} ${median(xs).toFixed(1).padStart(6)} s   ${(median(xs) / base).toFixed(2)}x train`);
}
