/**
 * @module cli/evaluate
 * npm run evaluate                 k-fold cross-validation on training-data/ (or --corpus DIR), grouped by page
 * npm run evaluate -- --data FILE  the shipped model on any labelled-page JSONL file
 *                     --binary     labels are content/other: every label but content counts as other,
 *                                  plus the benchmark's 4-token shingle F1 against each page's `truth`
 * Tuning knobs (--smoothing, --temperature, --word-cap, --no-pad) override the training options.
 * --errors TRUTH:PREDICTED lists 20 of the blocks in that cell of the confusion matrix, with the blocks
 * around each (evenly spaced, so the same every run): reading errors is how missing cues are found.
 * --group PREFIX,... gives the figures again for the pages whose id starts with each prefix, and for the rest:
 * how a new batch is judged (cross-validated with it, the pages already there should gain).
 * A file with `truth` also gets where its benchmark F1 is lost: the figure again with the wrongly
 * kept blocks above, at the head of, inside or below the article dropped, or the missed ones kept.
 * --worst-pages N lists the N pages of a --data file with `truth` that score lowest on the benchmark's
 * metric, by id and site: where the shingle F1 is lost, without printing their text.
 * Every report also says how many pages kept their first content block (the headline) as content.
 * --record writes the cross-validated figures into the shipped model's metadata (GET /v1/model),
 * when the model is the one this recipe trains from the same data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_MODEL_PATH } from '../config';
import { PagesiftError } from '../errors';
import { readLabelledDir, validateLabelledPage } from '../data/labelled-pages';
import { crossValidate } from '../eval/cross-validate';
import { errorSample, formatErrors, type ErrorSample } from '../eval/errors';
import { computeMetrics, computePageMetrics, groupMetrics, headlineRecall, pagePrediction, type GroupMetrics, type HeadlineRecall, type Metrics, type PageMetrics, type PagePrediction, type Prediction } from '../eval/metrics';
import { pageShingleScores, type PageShingleScore, type ShingleScore } from '../eval/shingles';
import { shinglePageOf, whereLost, type KeptPage, type Loss } from '../eval/where-lost';
import { compileModel } from '../model/runtime-model';
import { serializeModel, type ModelEvaluation } from '../model/model-file';
import { readModel, writeFileAtomic } from '../model/store';
import { DEFAULT_TRAIN_OPTIONS, trainModel, type TrainOptions } from '../model/train';
import type { LabelledPage } from '../types';
import { classifyBlocks } from '../pipeline/classify';
import { LAST_STAGE, STAGES, type Stage } from '../model/decode';
import { normalizeBlocks } from '../text/segment';
import { DEFAULT_DATA_DIR } from './paths';
import { progress } from './progress';
import { parseCliArgs, runCli, EXIT_USAGE } from './args';

const USAGE = `usage: npm run evaluate -- [--folds K] [--seed N] [--train-fraction F] [--article-only] [--json] [--record] [--corpus DIR] [--data FILE [--binary] [--worst-pages N]] [--model FILE] [--errors TRUTH:PREDICTED]
       tuning: [--smoothing S] [--min-feature-blocks N] [--temperature T] [--word-cap N] [--no-pad] [--short-content-words N] [--prose-navigation-words N] [--prose-caption-words N] (0: no such class)
               [--no-article-start] [--until ${STAGES.join('|')}]`;

function number(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    process.stderr.write(`--${name} must be a positive number, found ${JSON.stringify(value)}\n${USAGE}\n`);
    process.exit(EXIT_USAGE);
  }
  return n;
}

/** A word limit of a class split (model/classes.ts): a positive whole number, or 0 for no split. */
const wordLimit = (value: string | undefined, name: string, fallback: number): number => (value === '0' ? 0 : Math.round(number(value, name, fallback)));

const pct = (x: number): string => x.toFixed(3);

const lostTo = (h: HeadlineRecall): string =>
  Object.entries(h.lostTo).sort((a, b) => b[1] - a[1]).map(([label, n]) => `${label} ${n}`).join(', ');

function formatGroups(groups: readonly GroupMetrics[]): string[] {
  const w = Math.max(8, ...groups.map((g) => g.group.length));
  return [
    '',
    'by page group (page id prefix)',
    `${'group'.padEnd(w)}  pages  macro-F1  content F1  headline`,
    ...groups.map((g) => {
      const content = g.metrics.perLabel.find((m) => m.label === 'content');
      return `${g.group.padEnd(w)}  ${String(g.pages).padStart(5)}  ${pct(g.metrics.macroF1).padStart(8)}  ${(content ? pct(content.f1) : '-').padStart(10)}  ${pct(g.headline.recall).padStart(8)}`;
    }),
  ];
}

function formatTable(metrics: Metrics, shingle?: ShingleScore, pages?: PageMetrics, headline?: HeadlineRecall, groups?: readonly GroupMetrics[]): string {
  const lines: string[] = [];
  const w = Math.max(10, ...metrics.labels.map((l) => l.length));
  lines.push(`${'label'.padEnd(w)}  precision  recall     f1  support`);
  for (const m of metrics.perLabel) {
    lines.push(`${m.label.padEnd(w)}  ${pct(m.precision).padStart(9)}  ${pct(m.recall).padStart(6)}  ${pct(m.f1).padStart(5)}  ${String(m.support).padStart(7)}`);
  }
  lines.push('');
  lines.push(`macro-F1 ${pct(metrics.macroF1)}   accuracy ${pct(metrics.accuracy)}   blocks ${metrics.blocks}`);
  lines.push(`content in characters: precision ${pct(metrics.contentChars.precision)}  recall ${pct(metrics.contentChars.recall)}  f1 ${pct(metrics.contentChars.f1)}`);
  if (shingle) lines.push(`benchmark shingle F1 ${pct(shingle.f1)}  (precision ${pct(shingle.precision)}, recall ${pct(shingle.recall)})`);
  if (headline && headline.pages > 0) {
    lines.push(`headline (each page's first content block) kept on ${headline.kept} of ${headline.pages} pages: ${pct(headline.recall)}${headline.kept < headline.pages ? `; lost to ${lostTo(headline)}` : ''}`);
  }
  if (pages && pages.pages > 0) {
    lines.push('');
    lines.push(`page verdict over ${pages.pages} pages with wall/truncated flags`);
    for (const flag of ['wall', 'truncated'] as const) {
      const m = pages[flag];
      lines.push(`${flag.padEnd(10)} precision ${pct(m.precision)}  recall ${pct(m.recall)}  f1 ${pct(m.f1)}  (${m.support} pages true)`);
    }
  }
  if (groups && groups.length > 0) lines.push(...formatGroups(groups));
  lines.push('');
  lines.push(`confusion (rows: truth, columns: predicted)`);
  lines.push(`${''.padEnd(w)}${metrics.labels.map((l) => l.slice(0, 9).padStart(10)).join('')}`);
  for (const t of metrics.labels) {
    lines.push(`${t.padEnd(w)}${metrics.labels.map((p) => String(metrics.confusion[t]?.[p] ?? 0).padStart(10)).join('')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The pages that lose the benchmark's metric, worst first: precision is '-' where nothing was kept. */
function formatWorstPages(worst: readonly PageShingleScore[]): string {
  const w = Math.max(4, ...worst.map((p) => p.id.length));
  const s = Math.max(4, ...worst.map((p) => (p.site ?? '').length));
  return [
    '',
    `the ${worst.length} pages with the lowest benchmark shingle F1`,
    `${'page'.padEnd(w)}  ${'site'.padEnd(s)}  precision  recall     f1`,
    ...worst.map((p) => `${p.id.padEnd(w)}  ${(p.site ?? '').padEnd(s)}  ${(p.precision === null ? '-' : pct(p.precision)).padStart(9)}  ${pct(p.recall).padStart(6)}  ${pct(p.f1).padStart(5)}`),
    '',
  ].join('\n');
}

const LOSS_NAMES: Record<Loss['part'], string> = {
  before: 'wrongly kept above the article, dropped',
  header: 'wrongly kept between headline and article, dropped',
  inside: 'wrongly kept inside the article, dropped',
  after: 'wrongly kept below the article, dropped',
  missed: 'missed article blocks, kept',
};

/** The benchmark F1 with each kind of mistake put right alone (eval/where-lost.ts). */
function formatLosses(losses: readonly Loss[]): string {
  const w = Math.max(...Object.values(LOSS_NAMES).map((n) => n.length));
  return [
    '',
    'where the benchmark F1 is lost: its figures with one part put right',
    `${'part'.padEnd(w)}  blocks  precision  recall     f1`,
    ...losses.map((l) => `${LOSS_NAMES[l.part].padEnd(w)}  ${String(l.blocks).padStart(6)}  ${pct(l.score.precision).padStart(9)}  ${pct(l.score.recall).padStart(6)}  ${pct(l.score.f1).padStart(5)}`),
    '',
  ].join('\n');
}

interface ScoredFile {
  readonly predictions: Prediction[];
  readonly pages: PagePrediction[];
  /** The pages with a benchmark `truth`, as kept. */
  readonly keptPages: KeptPage[];
}

/** Scores a model on a JSONL file; binary files may carry `truth` and `headline` for the benchmark metric. */
function scoreFile(file: string, modelFile: string, binary: boolean, until: Stage): ScoredFile {
  const model = compileModel(readModel(modelFile));
  const predictions: Prediction[] = [];
  const pages: PagePrediction[] = [];
  const keptPages: KeptPage[] = [];
  fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const raw = JSON.parse(line) as { truth?: unknown; site?: unknown; blocks?: { headline?: unknown }[] };
    const page = validateLabelledPage(raw, `${file}:${i + 1}`);
    const texts = page.blocks.map((b) => b.text);
    const result = classifyBlocks(normalizeBlocks(texts), model, until);
    const blocks = page.blocks.map((b, j) => {
      let predicted = (result.blocks[j] as { label: string }).label;
      const truth = binary && b.label !== 'content' ? 'other' : b.label;
      if (binary && predicted !== 'content') predicted = 'other';
      predictions.push({ truth, predicted, chars: b.text.trim().length, at: { page: page.id, block: j, texts } });
      // The benchmark's truth omits headlines, so a kept headline would count against us unfairly
      // (shinglePageOf leaves them out).
      return { text: b.text, content: b.label === 'content', kept: predicted === 'content', headline: raw.blocks?.[j]?.headline === true };
    });
    if (typeof raw.truth === 'string') keptPages.push({ id: page.id, ...(typeof raw.site === 'string' ? { site: raw.site } : {}), truth: raw.truth, blocks });
    const verdict = pagePrediction(page, result);
    if (verdict) pages.push(verdict);
  });
  return { predictions, pages, keptPages };
}

/** Stores the figures in the model file, refusing a model that this recipe and data did not train. */
function recordEvaluation(modelFile: string, pages: LabelledPage[], options: TrainOptions, metrics: Metrics, pageMetrics: PageMetrics, run: { folds: number; seed: number; command: string }): void {
  const model = readModel(modelFile);
  const expected = trainModel(pages, options, model.trainedAt).version;
  if (expected !== model.version) {
    throw new PagesiftError('model_invalid', `${modelFile} is version ${model.version}, but this recipe trains ${expected} from the data: run \`npm run train\` first, with the default options`);
  }
  const evaluation: ModelEvaluation = {
    command: run.command,
    measuredAt: new Date().toISOString(),
    folds: run.folds,
    seed: run.seed,
    pages: pages.length,
    blocks: metrics.blocks,
    macroF1: round(metrics.macroF1),
    accuracy: round(metrics.accuracy),
    perLabel: Object.fromEntries(metrics.perLabel.map((m) => [m.label, { precision: round(m.precision), recall: round(m.recall), f1: round(m.f1), support: m.support }])),
    contentChars: { precision: round(metrics.contentChars.precision), recall: round(metrics.contentChars.recall), f1: round(metrics.contentChars.f1) },
    ...(pageMetrics.pages > 0 ? { paywall: roundPageMetrics(pageMetrics) } : {}),
  };
  writeFileAtomic(modelFile, serializeModel({ ...model, evaluation }));
  process.stderr.write(`recorded the figures in ${modelFile}\n`);
}

/** A group's figures in --json: the headline figures, not a second confusion matrix. */
const groupSummary = (g: GroupMetrics): Record<string, unknown> => ({
  group: g.group,
  pages: g.pages,
  blocks: g.metrics.blocks,
  macroF1: g.metrics.macroF1,
  accuracy: g.metrics.accuracy,
  perLabel: Object.fromEntries(g.metrics.perLabel.map((m) => [m.label, m.f1])),
  contentChars: g.metrics.contentChars,
  headline: g.headline,
});

const round = (x: number): number => Math.round(x * 10000) / 10000;

function roundPageMetrics(m: PageMetrics): PageMetrics {
  const flag = (f: PageMetrics['wall']) => ({ precision: round(f.precision), recall: round(f.recall), f1: round(f.f1), support: f.support });
  return { pages: m.pages, wall: flag(m.wall), truncated: flag(m.truncated) };
}

runCli(() => {
  const { values } = parseCliArgs(USAGE, {
    folds: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' }, data: { type: 'string' },
    binary: { type: 'boolean' }, model: { type: 'string' }, smoothing: { type: 'string' },
    temperature: { type: 'string' }, 'word-cap': { type: 'string' }, 'no-pad': { type: 'boolean' },
    corpus: { type: 'string' }, record: { type: 'boolean' }, until: { type: 'string' }, 'min-feature-blocks': { type: 'string' },
    'short-content-words': { type: 'string' }, 'prose-navigation-words': { type: 'string' }, 'prose-caption-words': { type: 'string' },
    'train-fraction': { type: 'string' }, 'article-only': { type: 'boolean' }, errors: { type: 'string' }, group: { type: 'string' },
    'no-article-start': { type: 'boolean' }, 'worst-pages': { type: 'string' },
  });
  const until = (values.until ?? LAST_STAGE) as Stage;
  if (!(STAGES as readonly string[]).includes(until)) {
    process.stderr.write(`--until must be one of ${STAGES.join(', ')}, found ${JSON.stringify(values.until)}\n${USAGE}\n`);
    process.exit(EXIT_USAGE);
  }
  // Checked before any training, so a typo costs no cross-validation run.
  const cell = values.errors === undefined ? undefined : /^([^:\s]+):([^:\s]+)$/.exec(values.errors);
  if (cell === null) {
    process.stderr.write(`--errors must be TRUTH:PREDICTED, two labels, found ${JSON.stringify(values.errors)}\n${USAGE}\n`);
    process.exit(EXIT_USAGE);
  }
  const prefixes = values.group === undefined ? [] : values.group.split(',').map((x) => x.trim());
  if (prefixes.some((x) => x === '')) {
    process.stderr.write(`--group must be page id prefixes separated by commas, found ${JSON.stringify(values.group)}\n${USAGE}\n`);
    process.exit(EXIT_USAGE);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  let predictions: Prediction[];
  let pagePredictions: PagePrediction[];
  let shingle: ShingleScore | undefined;
  let setup: Record<string, unknown>;
  let worstPages: PageShingleScore[] | undefined;
  let losses: Loss[] | undefined;
  if (values['worst-pages'] !== undefined && !values.data) throw new PagesiftError('invalid_field', '--worst-pages needs --data FILE');
  if (values.data) {
    if (values['article-only']) throw new PagesiftError('invalid_field', '--article-only cuts the held-out pages of a cross-validation: drop --data');
    const modelFile = path.resolve(values.model ?? DEFAULT_MODEL_PATH);
    const scored = scoreFile(path.resolve(values.data), modelFile, values.binary === true, until);
    predictions = scored.predictions;
    pagePredictions = scored.pages;
    if (scored.keptPages.length > 0) ({ asKept: shingle, losses } = whereLost(scored.keptPages));
    if (values['worst-pages'] !== undefined) {
      const count = Math.round(number(values['worst-pages'], 'worst-pages', 1));
      if (scored.keptPages.length === 0) throw new PagesiftError('invalid_field', '--worst-pages needs pages with a "truth" text, as in ../shared/realpages/dev.jsonl');
      worstPages = pageShingleScores(scored.keptPages.map((p) => shinglePageOf(p))).sort((a, b) => a.f1 - b.f1 || a.id.localeCompare(b.id)).slice(0, count);
    }
    setup = { mode: 'data', data: values.data, binary: values.binary === true, model: readModel(modelFile).version, until };
  } else {
    if (values.binary) throw new PagesiftError('invalid_field', '--binary needs --data FILE');
    const articleOnly = values['article-only'] === true;
    const options: TrainOptions = {
      smoothing: number(values.smoothing, 'smoothing', DEFAULT_TRAIN_OPTIONS.smoothing),
      minFeatureBlocks: Math.round(number(values['min-feature-blocks'], 'min-feature-blocks', DEFAULT_TRAIN_OPTIONS.minFeatureBlocks)),
      temperature: number(values.temperature, 'temperature', DEFAULT_TRAIN_OPTIONS.temperature),
      classes: {
        shortContentWords: wordLimit(values['short-content-words'], 'short-content-words', DEFAULT_TRAIN_OPTIONS.classes.shortContentWords),
        proseNavigationWords: wordLimit(values['prose-navigation-words'], 'prose-navigation-words', DEFAULT_TRAIN_OPTIONS.classes.proseNavigationWords),
        proseCaptionWords: wordLimit(values['prose-caption-words'], 'prose-caption-words', DEFAULT_TRAIN_OPTIONS.classes.proseCaptionWords),
      },
      featurizer: {
        wordCap: Math.round(number(values['word-cap'], 'word-cap', DEFAULT_TRAIN_OPTIONS.featurizer.wordCap)),
        padWords: values['no-pad'] ? false : DEFAULT_TRAIN_OPTIONS.featurizer.padWords,
      },
      articleStart: values['no-article-start'] ? false : DEFAULT_TRAIN_OPTIONS.articleStart,
    };
    const folds = Math.round(number(values.folds, 'folds', 5));
    const seed = Math.round(number(values.seed, 'seed', 1));
    const trainFraction = number(values['train-fraction'], 'train-fraction', 1);
    if (trainFraction > 1) {
      process.stderr.write(`--train-fraction must be above 0 and at most 1, found ${JSON.stringify(values['train-fraction'])}\n${USAGE}\n`);
      process.exit(EXIT_USAGE);
    }
    const pages = readLabelledDir(path.resolve(values.corpus ?? DEFAULT_DATA_DIR));
    const cv = crossValidate(pages, options, folds, seed, progress('fold'), until, trainFraction, articleOnly);
    predictions = cv.predictions;
    pagePredictions = cv.pages;
    setup = { mode: 'cross-validation', folds, seed, pages: pages.length, ...(trainFraction < 1 ? { trainFraction, trainedOn: cv.trainedOn } : {}), ...(articleOnly ? { articleOnly } : {}), options, until };
    if (values.record) {
      if (until !== LAST_STAGE) throw new PagesiftError('invalid_field', '--record measures the whole pipeline: drop --until');
      if (trainFraction < 1) throw new PagesiftError('invalid_field', '--record measures the model trained on every page: drop --train-fraction');
      if (articleOnly) throw new PagesiftError('invalid_field', '--record measures whole pages: drop --article-only');
      const modelFile = path.resolve(values.model ?? DEFAULT_MODEL_PATH);
      recordEvaluation(modelFile, pages, options, computeMetrics(predictions), computePageMetrics(pagePredictions), { folds, seed, command: `npm run evaluate -- --folds ${folds} --seed ${seed} --record` });
    }
  }
  const metrics = computeMetrics(predictions);
  const pageMetrics = computePageMetrics(pagePredictions);
  const headline = headlineRecall(predictions);
  const groups = prefixes.length > 0 ? groupMetrics(predictions, prefixes) : undefined;
  let errors: ErrorSample | undefined;
  if (cell) {
    const [truth, predicted] = [cell[1] as string, cell[2] as string];
    const unknown = [truth, predicted].find((l) => !metrics.labels.includes(l));
    if (unknown !== undefined) throw new PagesiftError('invalid_field', `--errors: no block is labelled or predicted ${JSON.stringify(unknown)}; the labels are ${metrics.labels.join(', ')}`);
    errors = errorSample(predictions, truth, predicted);
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ setup, ...metrics, ...(shingle ? { benchmark: shingle } : {}), ...(losses ? { whereLost: losses } : {}), ...(worstPages ? { worstPages } : {}), ...(pageMetrics.pages > 0 ? { paywall: pageMetrics } : {}), headline, ...(groups ? { groups: groups.map(groupSummary) } : {}), ...(errors ? { errors } : {}) }, null, 2)}\n`);
  } else {
    process.stdout.write(`${JSON.stringify(setup)}\n\n${formatTable(metrics, shingle, pageMetrics, headline, groups)}${losses ? formatLosses(losses) : ''}${worstPages ? formatWorstPages(worstPages) : ''}${errors ? `\n${formatErrors(errors)}` : ''}`);
  }
});
