/**
 * @module model/model-file
 * The model file: what serving needs from a trained natural BayesClassifier, with named keys, a
 * format version, the featurizer it was trained with, and a content hash that is checked on load.
 * It holds counts, never natural's `docs` (every training document), so it stays small.
 */
import { createHash } from 'node:crypto';
import { PagesiftError, describeValue } from '../errors';
import { READABLE_FEATURIZER_VERSIONS, type FeaturizerOptions } from '../features/featurize';
import { EXTRA_INPUTS, type CalibrationParams } from './calibrate';
import { HEAD, possibleClassSets, statesOf } from './classes';
import { START_INPUTS, startIndexes, type ArticleStartParams } from './article-start';
import { VERDICT_CLASSES } from './page-verdict';
import { neighbourInputCount, type NeighbourParams, type NeighbourReads } from './neighbours';
import type { NaiveBayesCounts } from './score';
import type { PageMetrics } from '../eval/metrics';

export const MODEL_FORMAT = 'pagesift-model';
export const MODEL_FORMAT_VERSION = 3;
/** Format 2 files (before the page verdict) still load, with `page: null`: a retrained model on a data volume survives an upgrade. */
export const READABLE_FORMAT_VERSIONS: readonly number[] = [2, MODEL_FORMAT_VERSION];

export interface SequenceParams {
  /** Divides the blocks' log-likelihoods in the sequence pass: above 1 trusts the neighbours more. */
  readonly temperature: number;
  /** The chain's states, `label@region` (model/sequence.ts), in the order of the counts below. */
  readonly states: string[];
  /** Training pages whose first block is in each state. */
  readonly startCounts: number[];
  /** transitionCounts[a][b]: how often a block in state b follows one in state a. */
  readonly transitionCounts: number[][];
}

/**
 * Cross-validated figures of the recipe that trained this model, recorded by
 * `npm run evaluate -- --record`. Measured, not hashed: recording them does not change the version.
 */
export interface ModelEvaluation {
  readonly command: string;
  readonly measuredAt: string;
  readonly folds: number;
  readonly seed: number;
  readonly pages: number;
  readonly blocks: number;
  readonly macroF1: number;
  readonly accuracy: number;
  readonly perLabel: Record<string, { readonly precision: number; readonly recall: number; readonly f1: number; readonly support: number }>;
  readonly contentChars: { readonly precision: number; readonly recall: number; readonly f1: number };
  /** The page verdict's cross-validated figures, over the pages with wall/truncated flags. */
  readonly paywall?: PageMetrics;
}

/** How a retrain made this model (absent on the shipped model). Measured, not hashed. */
export interface RetrainRecord {
  /** The model learned the first this-many stored example batches. */
  readonly exampleBatches: number;
  readonly exampleBlocks: number;
  readonly corpusPages: number;
  readonly gate: GateResult;
}

/** Held-out macro-F1 of the live model's recipe and data against the new data, on the same held-out pages. */
export interface GateResult {
  readonly heldOutPages: number;
  readonly heldOutBlocks: number;
  readonly liveMacroF1: number;
  readonly candidateMacroF1: number;
}

/** natural's counts for the two page models (model/page-verdict.ts); classes are VERDICT_CLASSES. */
export interface PageVerdictParams {
  readonly wall: NaiveBayesCounts;
  readonly truncated: NaiveBayesCounts;
}

export interface ModelFile {
  readonly format: typeof MODEL_FORMAT;
  /** 3; a format 2 file is read with `page: null`. */
  readonly formatVersion: number;
  /** Content hash of everything below but `trainedAt`: the same data gives the same version. */
  readonly version: string;
  readonly trainedAt: string;
  readonly featurizer: { readonly version: number } & FeaturizerOptions;
  /** Sorted. Labels are data: a corpus with a new label gives a model with that label. */
  readonly labels: string[];
  /** What natural learns: the labels, with `content` split into head and body (model/classes.ts). */
  readonly classes: string[];
  readonly examplesPerLabel: Record<string, number>;
  readonly vocabularySize: number;
  /** natural's smoothing: a feature never seen with a label counts as this many documents. */
  readonly smoothing: number;
  /** natural's totalExamples: training blocks + 1. */
  readonly totalExamples: number;
  /** natural's classTotals in class order: training blocks of the class + 1. */
  readonly classTotals: number[];
  /** Per feature, in class order: training blocks of that class holding the feature. */
  readonly features: Record<string, number[]>;
  /** Logistic layer on natural's log-likelihoods, fitted out of fold. */
  readonly calibration: CalibrationParams;
  readonly sequence: SequenceParams;
  /** The neighbour pass over label probabilities (model/neighbours.ts); null in format 2. */
  readonly neighbours: NeighbourParams | null;
  /** The article-start pass (model/article-start.ts); absent in files written before it, which run none. */
  readonly start?: ArticleStartParams;
  /** The paywall verdict for a whole page; null when the corpus had no pages with `wall`/`truncated` flags. */
  readonly page: PageVerdictParams | null;
  readonly evaluation?: ModelEvaluation;
  readonly retrain?: RetrainRecord;
}

/** What GET /v1/model shows of a model: its metadata, not its feature counts. */
export function describeModel(file: ModelFile) {
  return {
    version: file.version,
    trainedAt: file.trainedAt,
    format: file.format,
    formatVersion: file.formatVersion,
    featurizer: file.featurizer,
    labels: file.labels,
    examplesPerLabel: file.examplesPerLabel,
    vocabularySize: file.vocabularySize,
    smoothing: file.smoothing,
    sequence: { temperature: file.sequence.temperature },
    paywallVerdict: file.page !== null,
    // Whether labels come through the article-start pass (model/article-start.ts); older files run none.
    articleStart: file.start !== undefined,
    evaluation: file.evaluation ?? null,
    // How a retrain made this model: examples learned and the gate's figures (null when shipped).
    retrain: file.retrain ?? null,
  };
}

export type ModelDescription = ReturnType<typeof describeModel>;

export type ModelBody = Omit<ModelFile, 'version' | 'trainedAt' | 'evaluation' | 'retrain'>;

/** The hashed part, with its keys in one fixed order whatever order the input had. */
function canonicalBody(m: ModelBody): ModelBody {
  return {
    format: m.format,
    formatVersion: m.formatVersion,
    featurizer: { version: m.featurizer.version, wordCap: m.featurizer.wordCap, padWords: m.featurizer.padWords },
    labels: m.labels,
    classes: m.classes,
    examplesPerLabel: Object.fromEntries(m.labels.map((l) => [l, m.examplesPerLabel[l] as number])),
    vocabularySize: m.vocabularySize,
    smoothing: m.smoothing,
    totalExamples: m.totalExamples,
    classTotals: m.classTotals,
    features: m.features,
    calibration: { mean: m.calibration.mean, scale: m.calibration.scale, weights: m.calibration.weights, bias: m.calibration.bias },
    sequence: { temperature: m.sequence.temperature, states: m.sequence.states, startCounts: m.sequence.startCounts, transitionCounts: m.sequence.transitionCounts },
    // Format 2 had no page verdict, and its hashes must still check.
    ...(m.formatVersion >= 3 ? {
      // A model written before the reach was stored hashes without it.
      neighbours: m.neighbours === null ? null : {
        mean: m.neighbours.mean, scale: m.neighbours.scale, weights: m.neighbours.weights, bias: m.neighbours.bias,
        ...(m.neighbours.reach === undefined ? {} : { reach: m.neighbours.reach }),
        // Likewise a model written before the pass read natural's votes.
        ...(m.neighbours.naturalReach === undefined ? {} : { naturalReach: m.neighbours.naturalReach }),
        // And before it read them per class.
        ...(m.neighbours.naturalClasses === undefined ? {} : { naturalClasses: m.neighbours.naturalClasses }),
        // And before it read the page further off.
        ...(m.neighbours.wide === undefined ? {} : { wide: m.neighbours.wide }),
        // And before it read the blocks' lengths.
        ...(m.neighbours.lengthReach === undefined ? {} : { lengthReach: m.neighbours.lengthReach }),
        // And before it read the record-chain flags.
        ...(m.neighbours.chainReach === undefined ? {} : { chainReach: m.neighbours.chainReach }),
      },
      // A model written before the article-start pass hashes without it.
      ...(m.start === undefined ? {} : { start: { mean: m.start.mean, scale: m.start.scale, weights: m.start.weights, none: m.start.none, threshold: m.start.threshold } }),
      page: m.page === null ? null : { wall: canonicalCounts(m.page.wall), truncated: canonicalCounts(m.page.truncated) },
    } : {}),
  } as ModelBody;
}

function canonicalCounts(c: NaiveBayesCounts): NaiveBayesCounts {
  return { classes: c.classes, classTotals: c.classTotals, totalExamples: c.totalExamples, smoothing: c.smoothing, features: c.features };
}

export function modelVersion(body: ModelBody): string {
  return createHash('sha256').update(JSON.stringify(canonicalBody(body))).digest('hex').slice(0, 16);
}

export function buildModelFile(body: ModelBody, trainedAt: string): ModelFile {
  const canonical = canonicalBody(body);
  const { format, formatVersion, ...rest } = canonical;
  return { format, formatVersion, version: modelVersion(canonical), trainedAt, ...rest };
}

/** One line of JSON and a newline; byte-identical for the same model. */
export function serializeModel(model: ModelFile): string {
  return `${JSON.stringify(model)}\n`;
}

function invalid(where: string, expected: string, found: unknown): never {
  throw new PagesiftError('model_invalid', `model file: "${where}" must be ${expected}, found ${describeValue(found)}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isCountArray = (v: unknown, length: number): v is number[] =>
  Array.isArray(v) && v.length === length && v.every((n) => Number.isInteger(n) && n >= 0);

function countArray(v: unknown, where: string, length: number): number[] {
  if (!isCountArray(v, length)) invalid(where, `an array of ${length} non-negative integers`, v);
  return v as number[];
}

/**
 * Checks every feature's counts. The field's name is built only for a feature that fails: with
 * 137,411 features, building each name and Object.entries' pairs grew the heap by a third at load.
 * A count is how many of a class's blocks hold the feature, so it is at most the class's total
 * (blocks + 1); the scorer keeps a log for each possible count (model/score.ts), so a file with a
 * count past that is refused here rather than allowed to size a table.
 */
function featureCounts(features: Record<string, unknown>, where: string, totals: readonly number[]): void {
  const length = totals.length;
  for (const name in features) {
    const v = features[name];
    const counts = isCountArray(v, length) ? v : countArray(v, `${where}.${name}`, length);
    for (let i = 0; i < length; i++) {
      if ((counts[i] as number) > (totals[i] as number)) invalid(`${where}.${name}`, 'counts of at most their class\'s total (classTotals)', counts);
    }
  }
}

function numberArray(v: unknown, where: string, length: number): number[] {
  if (!Array.isArray(v) || v.length !== length || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    invalid(where, `an array of ${length} finite numbers`, v);
  }
  return v as number[];
}

function verdictCounts(v: unknown, where: string): void {
  if (!isRecord(v)) invalid(where, 'an object', v);
  if (JSON.stringify(v.classes) !== JSON.stringify(VERDICT_CLASSES)) invalid(`${where}.classes`, JSON.stringify(VERDICT_CLASSES), v.classes);
  const totals = countArray(v.classTotals, `${where}.classTotals`, VERDICT_CLASSES.length);
  if (!Number.isInteger(v.totalExamples) || (v.totalExamples as number) < 1) invalid(`${where}.totalExamples`, 'a positive integer', v.totalExamples);
  if (typeof v.smoothing !== 'number' || !(v.smoothing > 0)) invalid(`${where}.smoothing`, 'a positive number', v.smoothing);
  if (!isRecord(v.features)) invalid(`${where}.features`, 'an object', v.features);
  featureCounts(v.features, `${where}.features`, totals);
}

/** What a model file records of its making: neither is hashed into its version. */
export type RecordedFields = Pick<ModelFile, 'trainedAt' | 'evaluation'>;

/** A model file's training time and recorded evaluation, checked. */
export function recordedFields(raw: Record<string, unknown>): RecordedFields {
  if (typeof raw.trainedAt !== 'string' || Number.isNaN(Date.parse(raw.trainedAt))) invalid('trainedAt', 'an ISO date', raw.trainedAt);
  if (raw.evaluation === undefined) return { trainedAt: raw.trainedAt };
  const e = raw.evaluation;
  if (!isRecord(e) || typeof e.macroF1 !== 'number' || typeof e.accuracy !== 'number' || !isRecord(e.perLabel) || !isRecord(e.contentChars)) {
    invalid('evaluation', 'an object with macroF1, accuracy, perLabel and contentChars', e);
  }
  return { trainedAt: raw.trainedAt, evaluation: e as unknown as ModelEvaluation };
}

/**
 * The recorded fields of a model file that names `version`; undefined when it is not JSON, names
 * another version, or its fields fail their checks. Unlike parseModel it checks no count and no
 * hash: neither vouches for these fields, which are not hashed.
 */
export function recordedFieldsOf(json: string, version: string): RecordedFields | undefined {
  try {
    const raw: unknown = JSON.parse(json);
    return isRecord(raw) && raw.version === version ? recordedFields(raw) : undefined;
  } catch {
    return undefined;
  }
}

/** Parses and validates every key; refuses another format, featurizer or a hash that does not match. */
export function parseModel(json: string): ModelFile {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (cause) {
    throw new PagesiftError('model_invalid', `model file is not JSON: ${(cause as Error).message}`, { cause });
  }
  if (!isRecord(raw)) invalid('(top level)', 'an object', raw);
  if (raw.format !== MODEL_FORMAT) invalid('format', JSON.stringify(MODEL_FORMAT), raw.format);
  if (!READABLE_FORMAT_VERSIONS.includes(raw.formatVersion as number)) invalid('formatVersion', READABLE_FORMAT_VERSIONS.join(' or '), raw.formatVersion);
  const f = raw.featurizer;
  if (!isRecord(f) || !READABLE_FEATURIZER_VERSIONS.includes(f.version as number)) invalid('featurizer.version', READABLE_FEATURIZER_VERSIONS.join(' or '), isRecord(f) ? f.version : f);
  if (!Number.isInteger(f.wordCap) || (f.wordCap as number) < 1) invalid('featurizer.wordCap', 'a positive integer', f.wordCap);
  if (typeof f.padWords !== 'boolean') invalid('featurizer.padWords', 'a boolean', f.padWords);
  const labels = raw.labels;
  if (!Array.isArray(labels) || labels.length < 2 || !labels.every((l) => typeof l === 'string' && l !== '')) {
    invalid('labels', 'an array of at least 2 non-empty strings', labels);
  }
  const n = labels.length;
  if (new Set(labels).size !== n) invalid('labels', 'distinct', labels);
  const perLabel = raw.examplesPerLabel;
  if (!isRecord(perLabel)) invalid('examplesPerLabel', 'an object', perLabel);
  countArray(labels.map((l: string) => perLabel[l]), 'examplesPerLabel', n);
  if (typeof raw.smoothing !== 'number' || !(raw.smoothing > 0) || !Number.isFinite(raw.smoothing)) {
    invalid('smoothing', 'a positive number', raw.smoothing);
  }
  if (!Number.isInteger(raw.totalExamples) || (raw.totalExamples as number) < 1) invalid('totalExamples', 'a positive integer', raw.totalExamples);
  // With or without each length split (models trained before it lack it).
  const allowed = possibleClassSets(labels);
  const classes = allowed.find((c) => JSON.stringify(raw.classes) === JSON.stringify(c));
  if (!classes) invalid('classes', `one of ${allowed.map((c) => JSON.stringify(c)).join(', ')}`, raw.classes);
  const c = classes.length;
  const totals = countArray(raw.classTotals, 'classTotals', c);
  if (!isRecord(raw.features)) invalid('features', 'an object', raw.features);
  featureCounts(raw.features, 'features', totals);
  if (raw.vocabularySize !== Object.keys(raw.features).length) invalid('vocabularySize', 'the number of features', raw.vocabularySize);
  const cal = raw.calibration;
  if (!isRecord(cal)) invalid('calibration', 'an object', cal);
  numberArray(cal.mean, 'calibration.mean', c + EXTRA_INPUTS);
  numberArray(cal.scale, 'calibration.scale', c + EXTRA_INPUTS);
  numberArray(cal.bias, 'calibration.bias', c);
  if (!Array.isArray(cal.weights) || cal.weights.length !== c) invalid('calibration.weights', `${c} rows`, cal.weights);
  cal.weights.forEach((row: unknown, i: number) => numberArray(row, `calibration.weights[${i}]`, c + EXTRA_INPUTS));
  const seq = raw.sequence;
  if (!isRecord(seq)) invalid('sequence', 'an object', seq);
  if (typeof seq.temperature !== 'number' || !(seq.temperature > 0)) invalid('sequence.temperature', 'a positive number', seq.temperature);
  const states = statesOf(classes);
  if (!Array.isArray(seq.states) || JSON.stringify(seq.states) !== JSON.stringify(states)) invalid('sequence.states', JSON.stringify(states), seq.states);
  const k = states.length;
  countArray(seq.startCounts, 'sequence.startCounts', k);
  if (!Array.isArray(seq.transitionCounts) || seq.transitionCounts.length !== k) invalid('sequence.transitionCounts', `${k} rows`, seq.transitionCounts);
  seq.transitionCounts.forEach((row: unknown, i: number) => countArray(row, `sequence.transitionCounts[${i}]`, k));
  recordedFields(raw);

  if (raw.retrain !== undefined) {
    const r = raw.retrain;
    if (!isRecord(r) || !Number.isInteger(r.exampleBatches) || !isRecord(r.gate)) invalid('retrain', 'an object with exampleBatches and gate', r);
  }

  if (raw.formatVersion === 2) {
    // Written back after loading, a format 2 model carries the nulls it was read with.
    if (raw.page !== undefined && raw.page !== null) invalid('page', 'absent or null in format 2', raw.page);
    if (raw.neighbours !== undefined && raw.neighbours !== null) invalid('neighbours', 'absent or null in format 2', raw.neighbours);
    if (raw.start !== undefined) invalid('start', 'absent in format 2', raw.start);
  } else if (raw.neighbours !== null) {
    const nb = raw.neighbours;
    if (!isRecord(nb)) invalid('neighbours', 'null or an object', nb);
    if (nb.reach !== undefined && !(Number.isInteger(nb.reach) && (nb.reach as number) >= 1 && (nb.reach as number) <= 8)) {
      invalid('neighbours.reach', 'absent or an integer from 1 to 8', nb.reach);
    }
    if (nb.naturalReach !== undefined && !(Number.isInteger(nb.naturalReach) && (nb.naturalReach as number) >= 0 && (nb.naturalReach as number) <= 8)) {
      invalid('neighbours.naturalReach', 'absent or an integer from 0 to 8', nb.naturalReach);
    }
    if (nb.naturalClasses !== undefined && (nb.naturalClasses !== true || nb.naturalReach === undefined)) {
      invalid('neighbours.naturalClasses', 'absent, or true with naturalReach', nb.naturalClasses);
    }
    const reach = (nb.reach as number | undefined) ?? 1;
    // Ranges of whole blocks past the reach, each [from, to] with from <= to; a short list.
    const isRange = (r: unknown): boolean => Array.isArray(r) && r.length === 2 && r.every((v) => Number.isInteger(v))
      && (r[0] as number) > reach && (r[0] as number) <= (r[1] as number) && (r[1] as number) <= 1000;
    if (nb.wide !== undefined && !(Array.isArray(nb.wide) && nb.wide.length >= 1 && nb.wide.length <= 8 && nb.wide.every(isRange))) {
      invalid('neighbours.wide', `absent, or 1 to 8 ranges [from, to] of whole blocks with ${reach} < from <= to <= 1000`, nb.wide);
    }
    // Reaches of the per-block facts (lengths, record-chain flags): small whole numbers.
    for (const field of ['lengthReach', 'chainReach'] as const) {
      const v = nb[field];
      if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 8)) invalid(`neighbours.${field}`, 'absent or an integer from 0 to 8', v);
    }
    const d = neighbourInputCount(n, nb.naturalClasses ? c : n, nb as NeighbourReads);
    numberArray(nb.mean, 'neighbours.mean', d);
    numberArray(nb.scale, 'neighbours.scale', d);
    numberArray(nb.bias, 'neighbours.bias', n);
    if (!Array.isArray(nb.weights) || nb.weights.length !== n) invalid('neighbours.weights', `${n} rows`, nb.weights);
    nb.weights.forEach((row: unknown, i: number) => numberArray(row, `neighbours.weights[${i}]`, d));
  }
  if (raw.formatVersion !== 2 && raw.start !== undefined) {
    const st = raw.start;
    if (!isRecord(st)) invalid('start', 'absent or an object', st);
    if (!startIndexes(labels, classes)) invalid('start', `absent for labels without "content" and classes without "${HEAD}"`, st);
    numberArray(st.mean, 'start.mean', START_INPUTS);
    numberArray(st.scale, 'start.scale', START_INPUTS);
    numberArray(st.weights, 'start.weights', START_INPUTS);
    if (typeof st.none !== 'number' || !Number.isFinite(st.none)) invalid('start.none', 'a finite number', st.none);
    if (typeof st.threshold !== 'number' || !(st.threshold > 0 && st.threshold < 1)) invalid('start.threshold', 'a number between 0 and 1', st.threshold);
  }
  if (raw.formatVersion !== 2 && raw.page !== null) {
    if (!isRecord(raw.page)) invalid('page', 'null or an object with "wall" and "truncated"', raw.page);
    verdictCounts(raw.page.wall, 'page.wall');
    verdictCounts(raw.page.truncated, 'page.truncated');
  }

  const model = raw as unknown as ModelFile;
  const expected = modelVersion(model);
  if (raw.version !== expected) {
    throw new PagesiftError('model_invalid', `model file: "version" is ${describeValue(raw.version)} but its content hashes to "${expected}": the file was changed or damaged`);
  }
  return raw.formatVersion === 2 ? { ...model, neighbours: null, page: null } : model;
}
