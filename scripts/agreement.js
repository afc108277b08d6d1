#!/usr/bin/env node
/**
 * How consistently ../shared/labels.md can be applied: the corpus's labels against a second,
 * independent labelling of 24 of its pages (training-data/agreement/second-labels.json, made by
 * labellers who saw only the page text and the guide). Prints the agreement as the evaluation
 * prints a model's figures, the second labelling in the place of the predictions.
 * usage: npm run build && node scripts/agreement.js
 */
process.env.DOTENV_CONFIG_QUIET = 'true';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const { readLabelledDir } = require(path.join(ROOT, 'dist', 'data', 'labelled-pages'));
const { computeMetrics } = require(path.join(ROOT, 'dist', 'eval', 'metrics'));

const second = JSON.parse(fs.readFileSync(path.join(ROOT, 'training-data', 'agreement', 'second-labels.json'), 'utf8'));
const pages = new Map(readLabelledDir(path.join(ROOT, 'training-data')).map((p) => [p.id, p]));
const pairs = [];
for (const [id, labels] of Object.entries(second)) {
  const page = pages.get(id);
  if (!page) throw new Error(`${id}: no such page in training-data/`);
  if (page.blocks.length !== labels.length) throw new Error(`${id}: ${labels.length} labels for ${page.blocks.length} blocks`);
  page.blocks.forEach((b, i) => pairs.push({ truth: b.label, predicted: labels[i], chars: b.text.trim().length }));
}
const m = computeMetrics(pairs);
console.log(`${Object.keys(second).length} pages, ${pairs.length} blocks: agreement (accuracy) ${m.accuracy.toFixed(3)}, macro-F1 ${m.macroF1.toFixed(3)}`);
for (const l of m.perLabel) console.log(`  ${l.label.padEnd(11)} F1 ${l.f1.toFixed(3)}  (${l.support} blocks in the corpus's labels)`);
