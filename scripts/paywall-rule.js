#!/usr/bin/env node
/**
 * The page verdict (natural's BayesClassifier over page facts, model/page-verdict.ts) against a
 * hand-written rule over the same facts, side by side on the same held-out pages: 5-fold
 * cross-validation by page with the folds of `npm run evaluate`, so both read the block labels a
 * model that never saw the page gives. Run `npm run build` first. The issue asked to keep the better.
 *   rule  wall: at least one paywall block carries a gating word and at least 2 sit inside the article
 *         truncated: a wall, under 15% of the article's words after its start, and the last paragraph
 *         stops mid-sentence or the article is under 400 words
 * usage: node scripts/paywall-rule.js [--data FILE]   (FILE: score the shipped model's blocks on it instead)
 */
process.env.DOTENV_CONFIG_QUIET = 'true';
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const dist = path.resolve(__dirname, '..', 'dist');
const { readLabelledDir, readLabelledPages } = require(path.join(dist, 'data', 'labelled-pages'));
const { trainModel, DEFAULT_TRAIN_OPTIONS } = require(path.join(dist, 'model', 'train'));
const { compileModel } = require(path.join(dist, 'model', 'runtime-model'));
const { readModel } = require(path.join(dist, 'model', 'store'));
const { foldsOf } = require(path.join(dist, 'model', 'folds'));
const { classifyBlocks } = require(path.join(dist, 'pipeline', 'classify'));
const { normalizeBlocks } = require(path.join(dist, 'text', 'segment'));
const { verdictTokens } = require(path.join(dist, 'model', 'page-verdict'));
const { computePageMetrics } = require(path.join(dist, 'eval', 'metrics'));

const { values } = parseArgs({ options: { data: { type: 'string' } } });

function rule(blocks) {
  const tokens = verdictTokens(blocks);
  const fact = (list, name) => list.find((t) => t.startsWith(`pv_${name}=`)).split('=')[1];
  // Buckets of model/page-verdict.ts: gate >= 1 block, inart >= 2 blocks, after < 15%, words < 400.
  const wall = Number(fact(tokens.wall, 'gate')) >= 1 && Number(fact(tokens.wall, 'inart')) >= 2;
  const after = fact(tokens.truncated, 'after');
  const cut = after !== 'none' && Number(after) <= 1 && (fact(tokens.truncated, 'mid') === 'true' || Number(fact(tokens.truncated, 'words')) <= 2);
  return { wall, truncated: wall && cut };
}

const judged = { model: [], rule: [] };
function judge(page, model) {
  if (page.wall === undefined) return;
  const result = classifyBlocks(normalizeBlocks(page.blocks.map((b) => b.text)), model);
  const truth = { wall: page.wall, truncated: page.truncated };
  judged.model.push({ truth, predicted: result.paywall });
  judged.rule.push({ truth, predicted: rule(result.blocks) });
}

if (values.data) {
  const model = compileModel(readModel(path.resolve(__dirname, '..', 'models', 'pagesift-model.json')));
  for (const page of readLabelledPages(path.resolve(values.data))) judge(page, model);
} else {
  const pages = readLabelledDir(path.resolve(__dirname, '..', 'training-data'));
  foldsOf(pages.length, 5, 1).forEach((fold, f) => {
    const held = new Set(fold);
    const model = compileModel(trainModel(pages.filter((_, i) => !held.has(i)), DEFAULT_TRAIN_OPTIONS, 'paywall-rule'));
    for (const i of fold) judge(pages[i], model);
    process.stderr.write(`fold ${f + 1}/5\n`);
  });
}
const f = (x) => x.toFixed(3);
process.stdout.write(`${values.data ?? 'training-data/, 5-fold cross-validation by page'}\n`);
for (const [name, list] of Object.entries(judged)) {
  const m = computePageMetrics(list);
  process.stdout.write(`${name.padEnd(6)} ${m.pages} pages  wall P ${f(m.wall.precision)} R ${f(m.wall.recall)} F1 ${f(m.wall.f1)}   truncated P ${f(m.truncated.precision)} R ${f(m.truncated.recall)} F1 ${f(m.truncated.f1)}\n`);
}
