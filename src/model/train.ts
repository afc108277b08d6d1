/**
 * @module model/train
 * Trains natural's BayesClassifier on labelled pages and extracts the model file. Pure: pages in,
 * model out; the same pages and options give the same model.
 */
import { BayesClassifier, type NaturalBayesClassifier } from '../natural';
import { DEFAULT_FEATURIZER_OPTIONS, FEATURIZER_VERSION, type FeaturizerOptions } from '../features/featurize';
import { inRecordChain } from '../features/records';
import { featurizeCorpus, type FeaturizedCorpus, type FeaturizedPage } from './featurize-corpus';
import type { LabelledPage } from '../types';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, buildModelFile, type ModelBody, type ModelFile, type PageVerdictParams } from './model-file';
import { fitCalibration, type CalibrationRow } from './calibrate';
import { decodeStages, type ScoredBlock } from './decode';
import { VERDICT_CLASSES, verdictTokens } from './page-verdict';
import { compileModel } from './runtime-model';
import { fitNeighbours } from './neighbours';
import { applyArticleStart, fitArticleStart, startIndexes } from './article-start';
import { foldsOf, seededRandom } from './folds';
import { heldOutScores, packCorpus } from './held-out';
import type { NaiveBayesCounts } from './score';
import { countTransitions } from './sequence';
import { ARTICLE_LABEL, classSequence, classesOf, labelOfClass, type ClassOptions } from './classes';

export interface TrainOptions {
  readonly smoothing: number;
  /** A feature seen in fewer training blocks than this is left out of the model (see pruneRareFeatures). */
  readonly minFeatureBlocks: number;
  readonly featurizer: FeaturizerOptions;
  readonly temperature: number;
  /** How content and navigation lines are split into classes by length (model/classes.ts). */
  readonly classes: ClassOptions;
  /** Whether to fit the article-start pass (model/article-start.ts). */
  readonly articleStart: boolean;
}

/** Chosen by cross-validation on training-data/ (see docs/accuracy-log.md). */
export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  smoothing: 0.08,
  minFeatureBlocks: 1,
  featurizer: DEFAULT_FEATURIZER_OPTIONS,
  temperature: 1,
  classes: { shortContentWords: 5, proseNavigationWords: 12, proseCaptionWords: 6 },
  articleStart: true,
};

/** A page whose blocks carry their class instead of their label; classes come from the whole page. */
export function withClasses(page: LabelledPage, options: ClassOptions = DEFAULT_TRAIN_OPTIONS.classes): LabelledPage {
  const classes = classSequence(page.blocks, options);
  return { ...page, blocks: page.blocks.map((b, i) => ({ ...b, label: classes[i] as string })) };
}

/**
 * Crawlers also send a few blocks rather than a whole page. Every training page therefore also
 * contributes one excerpt of 2 to 10 consecutive blocks (chosen by a seeded draw), so position and
 * neighbour features have seen short pages too; a lone paragraph is not chrome for lack of company.
 */
export function excerptOf(page: LabelledPage, seed: number): LabelledPage {
  const random = seededRandom(seed);
  const length = Math.min(page.blocks.length, 2 + Math.floor(random() * 9));
  const start = Math.floor(random() * (page.blocks.length - length + 1));
  return { id: `${page.id}#excerpt`, blocks: page.blocks.slice(start, start + length) };
}

/**
 * Where a page starts if a crawler sends only the article's container: at its first `content`
 * block (the headline), or one or two blocks before it (a kicker, share buttons). Every training
 * page starts with its site's chrome, so without these starts the sequence pass held that a page
 * never opens near its headline: on pages cut this way (`npm run evaluate -- --article-only`) it
 * kept the headline 0.585 of the time, in cross-validation. Undefined for a page without content.
 */
export function articleStart(labels: readonly string[], before: number): number | undefined {
  const head = labels.findIndex((l) => labelOfClass(l) === ARTICLE_LABEL);
  return head > 0 ? Math.max(0, head - before) : undefined;
}

/** Pages take turns to start 0, 1 or 2 blocks before their headline. */
export const ARTICLE_START_BEFORE = 3;

/**
 * Every third training page (those whose turn starts at the headline) also teaches natural its
 * first 8 to 20 blocks (by turns) from the headline on, as a page of its own: the position features
 * then see headlines at the top of a page. On pages cut to their article (`--article-only`) that
 * raised content F1 by 0.006 and the headlines kept from 0.70 to 0.82, with whole pages unchanged
 * (0.916 -> 0.915 with fold seed 1, 0.914 -> 0.914 with seed 2). Every page cut so cost 0.002 on
 * whole pages (docs/accuracy-log.md).
 */
export function articleCutOf(page: LabelledPage, i: number): LabelledPage | undefined {
  if (i % ARTICLE_START_BEFORE !== 0) return undefined;
  const start = articleStart(page.blocks.map((b) => b.label), 0);
  return start === undefined ? undefined : { id: `${page.id}#article`, blocks: page.blocks.slice(start, start + 8 + (i % 13)) };
}

/**
 * natural's train() turns each document into a dense vector over the whole vocabulary
 * (O(documents x vocabulary)). apparatus, which it delegates to, also takes a sparse observation
 * whose values are feature indexes, and counts exactly what the dense route counts; it just does
 * not bump the document totals on that route, so we do. A test pins this to natural's own train().
 *
 * apparatus keeps a class's counts in a plain object keyed by feature index; filled a key at a time
 * up to 260,000, V8 holds it as a slow dictionary. A class first seen here gets an array of zeros
 * instead, which apparatus reads and writes the same way (a 0 is "never seen", as a missing key is,
 * and the first count is 1 + smoothing either way): the same counts, in 0.6 to 0.7 of the time.
 *
 * natural numbers its features in the order its documents first hold them (the key order of its
 * `features` object; every token has a prefix, so none is integer-like and jumps ahead). The
 * documents' tokens come numbered in their corpus (`docIds`, model/featurize-corpus.ts), so the same
 * numbering follows from the numbers alone, without looking up a string: 1.4 s of a training run did.
 */
export function trainSparse(classifier: NaturalBayesClassifier, docIds: readonly Int32Array[], idCount: number): void {
  if (classifier.lastAdded !== 0 || docIds.length !== classifier.docs.length) throw new Error('trainSparse: one number array per document, on a classifier not trained yet');
  const index = new Int32Array(idCount).fill(-1);
  let features = 0;
  for (const ids of docIds) for (const id of ids) if (index[id] === -1) index[id] = features++;
  if (features !== Object.keys(classifier.features).length) throw new Error('trainSparse: the numbers do not match the documents\' tokens');
  // The document that last held each feature: a feature counts once per document, as on the dense route.
  const seenIn = new Int32Array(features).fill(-1);
  const bayes = classifier.classifier;
  for (let d = 0; d < classifier.docs.length; d++) {
    const label = (classifier.docs[d] as { label: string }).label;
    if (!bayes.classFeatures[label]) {
      bayes.classFeatures[label] = new Array<number>(features).fill(0);
      bayes.classTotals[label] = 1; // apparatus's start, one extra for smoothing
    }
    const observation: Record<string, number> = {};
    let slot = 0;
    for (const id of docIds[d] as Int32Array) {
      const feature = index[id] as number;
      if (seenIn[feature] === d) continue;
      seenIn[feature] = d;
      observation[slot++] = feature;
    }
    bayes.addExample(observation, label);
    bayes.totalExamples++;
    (bayes.classTotals[label] as number)++;
    classifier.lastAdded++;
  }
}

/** A natural BayesClassifier trained on the featurized pages (`pages`, or all of the corpus's). */
export function trainNatural(corpus: FeaturizedCorpus, smoothing: number, pages: readonly FeaturizedPage[] = corpus.pages): NaturalBayesClassifier {
  const classifier = new BayesClassifier(undefined, smoothing);
  const docIds: Int32Array[] = [];
  for (const page of pages) {
    page.tokens.forEach((tokens, i) => {
      // natural silently drops empty documents; a blank training block teaches nothing anyway.
      if (tokens.length === 0) return;
      classifier.addDocument(tokens, page.classes[i] as string);
      docIds.push(page.ids[i] as Int32Array);
    });
  }
  trainSparse(classifier, docIds, corpus.features.length);
  return classifier;
}

/** natural stores (documents + smoothing) per feature index; we store documents per feature name, sorted. */
export function extractCounts(classifier: NaturalBayesClassifier, classes: readonly string[]): NaiveBayesCounts {
  const bayes = classifier.classifier;
  const featureNames = Object.keys(classifier.features);
  const byIndex = featureNames.map(() => classes.map(() => 0));
  classes.forEach((name, j) => {
    const table = bayes.classFeatures[name] ?? {};
    const add = (count: number | undefined, i: number): void => {
      // 0: never seen (trainSparse's arrays hold a 0 where natural's objects hold no key)
      if (count) (byIndex[i] as number[])[j] = Math.round(count - bayes.smoothing);
    };
    if (Array.isArray(table)) table.forEach(add);
    else for (const [i, count] of Object.entries(table)) add(count, Number(i));
  });
  const features: Record<string, number[]> = {};
  featureNames
    .map((name, i) => [name, byIndex[i] as number[]] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .forEach(([name, counts]) => { features[name] = counts; });
  // A class absent from this training set keeps natural's starting total of 1.
  return {
    classes: [...classes],
    classTotals: classes.map((c) => bayes.classTotals[c] ?? 1),
    totalExamples: bayes.totalExamples,
    smoothing: bayes.smoothing,
    features,
  };
}

/**
 * Leaves out the features seen in fewer than `minBlocks` training blocks (a block and its
 * excerpt's copy count as two). More than half of the lexical-slot features are one-off word pairs
 * and edge words. Left out (2) until featurizer version 3, they cost 0.004 of cross-validated
 * macro-F1; with its conjunction slots they are worth 0.005 (0.901 -> 0.905 with seed 1, 0.900 ->
 * 0.904 with seed 2), so the default keeps them all (1): the model file grows from 60,564 to 137,411
 * features and 2.4 to 5.4 MB, and an idle service holds 114 MB (15 s after ready, once V8 has
 * handed back what parsing the file took; 73 MB with the last version 2 model), within its 150 MB
 * target (docs/performance-log.md). Serving treats a left-out feature as natural treats any feature it
 * never saw: as absent.
 */
export function pruneRareFeatures(counts: NaiveBayesCounts, minBlocks: number): NaiveBayesCounts {
  if (minBlocks <= 1) return counts;
  const features = Object.fromEntries(Object.entries(counts.features).filter(([, byClass]) => byClass.reduce((a, b) => a + b, 0) >= minBlocks));
  return { ...counts, features };
}

/** natural's smoothing for the page verdict: its tokens are few and coarse, so add-one is enough. */
const PAGE_SMOOTHING = 1;

/** Folds for the out-of-fold calibration scores; fixed so training stays deterministic. */
const CALIBRATION_FOLDS = 5;
const CALIBRATION_SEED = 7;

/**
 * natural's scores for every training block from a model that did not see the block's page:
 * what the calibration must learn to correct is how natural errs on pages it has not seen, and the
 * page verdict must learn from labels as serving gives them. In corpus order; blank blocks undefined.
 */
function outOfFoldScores(featurized: FeaturizedCorpus, group: readonly number[], all: NaiveBayesCounts, options: TrainOptions): ScoredBlock[][] {
  const corpus = featurized.pages;
  const groups = Math.max(...group, -1) + 1;
  // A page and its excerpt always fall in the same fold. A fold that would hold out every page
  // (a corpus of one group) has no other pages to learn from, and scores nothing.
  const folds = foldsOf(groups, CALIBRATION_FOLDS, CALIBRATION_SEED).map((fold) => {
    const held = new Set(fold);
    const pages = corpus.flatMap((_, i) => (held.has(group[i] as number) ? [i] : []));
    return Int32Array.from(pages.length === corpus.length ? [] : pages);
  });
  const packed = packCorpus(all, featurized);
  const { logLikelihood, knownFeatures } = heldOutScores(packed, folds, options.minFeatureBlocks);
  const scoredPages = new Set(folds.flatMap((f) => [...f]));
  const c = packed.classCount;
  return corpus.map((page, i) => page.tokens.map((tokens, j) => {
    const b = (packed.pageStart[i] as number) + j;
    if (tokens.length === 0 || !scoredPages.has(i)) return undefined;
    return { logLikelihood: logLikelihood.slice(b * c, (b + 1) * c), knownFeatures: knownFeatures[b] as number, chars: page.chars[j] as number, chain: inRecordChain(tokens) };
  }));
}

/** The calibration's training rows: every scored block with the index of its true class. */
function calibrationRows(corpus: readonly FeaturizedPage[], scored: readonly ScoredBlock[][], classes: readonly string[]): CalibrationRow[] {
  const at = new Map(classes.map((c, i) => [c, i]));
  return corpus.flatMap((page, i) => (scored[i] as ScoredBlock[]).flatMap((s, b) => (s ? [{ ...s, label: at.get(page.classes[b] as string) as number }] : [])));
}

/** natural's BayesClassifier on each page's verdict tokens: one model for `wall`, one for `truncated` given a wall. */
export function trainPageVerdict(pages: readonly { tokens: { wall: string[]; truncated: string[] }; wall: boolean; truncated: boolean }[], smoothing = PAGE_SMOOTHING): PageVerdictParams | null {
  // Without pages of both kinds there is nothing to tell apart.
  if (!pages.some((p) => p.wall) || pages.every((p) => p.wall)) return null;
  const learn = (docs: readonly { tokens: string[]; yes: boolean }[]): NaiveBayesCounts => {
    const classifier = new BayesClassifier(undefined, smoothing);
    for (const d of docs) classifier.addDocument(d.tokens, VERDICT_CLASSES[d.yes ? 1 : 0] as string);
    classifier.train();
    return extractCounts(classifier, VERDICT_CLASSES);
  };
  return {
    wall: learn(pages.map((p) => ({ tokens: p.tokens.wall, yes: p.wall }))),
    truncated: learn(pages.filter((p) => p.wall).map((p) => ({ tokens: p.tokens.truncated, yes: p.truncated }))),
  };
}

/** The steps trainModel reports: featurize, the calibration folds, the calibration fit, the neighbour pass, the article start, the page verdict. */
export const TRAIN_STEPS = 6;

const argmax = (p: Float64Array): number => p.reduce((best, v, i) => (v > (p[best] as number) ? i : best), 0);

export function trainModel(
  pages: readonly LabelledPage[],
  options: TrainOptions = DEFAULT_TRAIN_OPTIONS,
  trainedAt = new Date().toISOString(),
  onStep: (done: number, total: number, what: string) => void = () => {},
): ModelFile {
  let step = 0;
  const report = (what: string): void => onStep(++step, TRAIN_STEPS, what);
  const labels = [...new Set(pages.flatMap((p) => p.blocks.map((b) => b.label)))].sort();
  const classes = classesOf(labels, options.classes);
  // Classes first, so an excerpt keeps the class its block has on the whole page.
  // Each page, its excerpt and its article cut (if any) form one group, in one calibration fold.
  const copies = pages.map((page) => withClasses(page, options.classes)).flatMap((page, i) => {
    const cut = articleCutOf(page, i);
    return [{ page, group: i, whole: true }, { page: excerptOf(page, i + 1), group: i, whole: false }, ...(cut ? [{ page: cut, group: i, whole: false }] : [])];
  });
  const group = copies.map((c) => c.group);
  const featurized = featurizeCorpus(copies.map((c) => c.page), options.featurizer);
  const corpus = featurized.pages;
  const wholeAt = copies.flatMap((c, i) => (c.whole ? [i] : []));
  const wholePages = wholeAt.map((i) => corpus[i] as FeaturizedPage);
  const articleStarts = wholePages.flatMap((page, i) => {
    const start = articleStart(page.classes, i % ARTICLE_START_BEFORE);
    // A one-block sequence: a start count, no transition.
    return start === undefined ? [] : [[page.classes[start] as string]];
  });
  // natural's counts include the excerpts; the metadata counts each labelled block once.
  const all = extractCounts(trainNatural(featurized, options.smoothing), classes);
  const counts = pruneRareFeatures(all, options.minFeatureBlocks);
  report('featurized and counted');
  const examplesPerLabel = Object.fromEntries(labels.map((l) => [l, pages.reduce((n, p) => n + p.blocks.filter((b) => b.label === l).length, 0)]));
  const scored = outOfFoldScores(featurized, group, all, options);
  report('calibration folds scored');
  const calibration = fitCalibration(calibrationRows(corpus, scored, classes), classes.length);
  report('calibration fitted');

  const blockModel: ModelBody = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    featurizer: { version: FEATURIZER_VERSION, ...options.featurizer },
    labels,
    examplesPerLabel,
    vocabularySize: Object.keys(counts.features).length,
    ...counts,
    calibration,
    // Whole pages only: an excerpt's first block is not where pages start. Each page's article-only
    // start (articleStart) adds a start count, and nothing else: whole-page CV is unchanged (0.915
    // with seed 1, 0.913 with seed 2), and on pages cut that way macro-F1 rose 0.905 -> 0.907, content
    // F1 0.901 -> 0.908, headline recall 0.585 -> 0.693. Also counting those cut pages' transitions, or
    // training natural on them, scored lower on whole pages (docs/accuracy-log.md).
    sequence: { temperature: options.temperature, ...countTransitions([...wholePages.map((p) => p.classes), ...articleStarts], classes) },
    neighbours: null,
    page: null,
  };
  // The neighbour pass and the page verdict learn from the training pages as serving would see
  // them: their out-of-fold scores through the finished calibration and sequence pass, decoded once
  // for both (the verdict then applies the fitted neighbour pass on top, as serving does).
  // Decoding reads natural's priors, the calibration and the sequence pass, never the feature counts
  // (the blocks are scored already): left out, the interim model is not hashed, packed and compiled
  // over every feature (2 s of a training run on 1,151 pages).
  const sequenced = compileModel(buildModelFile({ ...blockModel, features: {} }, trainedAt));
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const decoded = pages.map((page, i) => ({
    page,
    ...decodeStages(sequenced, scored[wholeAt[i] as number] as ScoredBlock[], 'sequence'),
    labels: page.blocks.map((b) => labelIndex.get(b.label) as number),
  }));
  const { params: neighbours, posteriors: neighboured } = fitNeighbours(decoded, labels.length);
  report('neighbour pass fitted');
  // The article-start pass, then the page verdict, read the pages after the neighbour pass.
  const startPages = decoded.map((stages, i) => ({
    posteriors: neighboured[i] as Float64Array[],
    naturalClasses: stages.naturalClasses,
    blank: (scored[wholeAt[i] as number] as ScoredBlock[]).map((s) => s === undefined),
  }));
  const at = startIndexes(labels, classes);
  const start = options.articleStart && at
    ? fitArticleStart(startPages.map((p, i) => ({ ...p, start: (decoded[i] as (typeof decoded)[number]).labels.findIndex((l, t) => l === at.contentLabel && !p.blank[t]) })), at)
    : undefined;
  report('article start fitted');
  const flagged = decoded.flatMap((stages, i) => {
    const { page } = stages;
    if (page.wall === undefined || page.truncated === undefined) return [];
    const startPage = startPages[i] as (typeof startPages)[number];
    const posteriors = start && at ? applyArticleStart(start, startPage, at) : startPage.posteriors;
    const blocks = page.blocks.map((b, j) => ({ text: b.text, label: labels[argmax(posteriors[j] as Float64Array)] as string }));
    return [{ tokens: verdictTokens(blocks), wall: page.wall, truncated: page.truncated }];
  });
  const page = trainPageVerdict(flagged);
  report('page verdict trained');
  return buildModelFile({ ...blockModel, neighbours, ...(start ? { start } : {}), page }, trainedAt);
}
