/**
 * @module model/score
 * Stage 3 of the pipeline: natural's naive-Bayes formula, computed sparsely in log space.
 *
 * natural scores a block as prior * exp(sum over the block's known features of
 * log(count / classTotal)), where count is (documents of the label holding the feature +
 * smoothing). It builds a dense vector over the whole vocabulary for every call, and its exp()
 * underflows to 0 for every label on a long paragraph. We sum the same logs over the block's own
 * features only and normalise with log-sum-exp: the same ranking, finite on any block.
 */
import type { ModelFile } from './model-file';
import { packedCounts } from './feature-counts';

export interface ScoringModel {
  readonly classes: readonly string[];
  /** log(classTotal / totalExamples): natural's prior. */
  readonly logPrior: Float64Array;
  /** Each known feature's row in `counts`. */
  readonly featureRow: ReadonlyMap<string, number>;
  /** Per known feature (row), per class: natural's count, shared with the live model file (model/feature-counts.ts). */
  readonly counts: Uint32Array;
  /**
   * log((count + smoothing) / classTotal) of class i at logOfCount[countStart[i] + count]. A log
   * per class and possible count, rather than per feature and class: a count is at most the class's
   * total, so 160,000 logs (1.3 MB) stand for the 3.4 million (28 MB) of a 344,442-feature model,
   * and they are the very same numbers.
   */
  readonly logOfCount: Float64Array;
  readonly countStart: Uint32Array;
  /**
   * Scratch for scoreFeatures: the call that last counted each row. Counting a feature once per
   * block this way allocates nothing; a Set of the block's tokens was a third of the scorer's time.
   */
  readonly countedBy: Uint32Array;
  /** The number of the latest scoreFeatures call (scoring is synchronous, so calls never overlap). */
  calls: number;
}

export type NaiveBayesCounts = Pick<ModelFile, 'classes' | 'classTotals' | 'totalExamples' | 'smoothing' | 'features'>;

export function compileScoringModel(model: NaiveBayesCounts): ScoringModel {
  const { classes, classTotals, totalExamples, smoothing } = model;
  const c = classes.length;
  const logPrior = Float64Array.from(classTotals, (t) => Math.log(t / totalExamples));
  // The live file's own packed counts and rows when it has them (model/feature-counts.ts).
  const { rows: featureRow, counts } = packedCounts(model);
  const maxCount = new Array<number>(c).fill(0);
  for (let at = 0; at < counts.length; at += c) {
    for (let i = 0; i < c; i++) maxCount[i] = Math.max(maxCount[i] as number, counts[at + i] as number);
  }
  const countStart = new Uint32Array(c);
  let size = 0;
  maxCount.forEach((max, i) => { countStart[i] = size; size += max + 1; });
  const logOfCount = new Float64Array(size);
  maxCount.forEach((max, i) => {
    for (let k = 0; k <= max; k++) logOfCount[(countStart[i] as number) + k] = Math.log((k + smoothing) / (classTotals[i] as number));
  });
  return { classes, logPrior, featureRow, counts, logOfCount, countStart, countedBy: new Uint32Array(featureRow.size), calls: 0 };
}

export interface BlockLogScores {
  /** natural's per-class log-likelihood of the block's features, prior excluded. */
  readonly logLikelihood: Float64Array;
  /** How many of the block's features the model knows. */
  readonly knownFeatures: number;
}

/** Sums the log-likelihoods of the block's distinct known features; unknown ones are ignored, as natural does. */
export function scoreFeatures(model: ScoringModel, tokens: readonly string[]): BlockLogScores {
  const c = model.classes.length;
  const { featureRow, counts, logOfCount, countStart, countedBy } = model;
  const sum = new Float64Array(c);
  let knownFeatures = 0;
  // 0 is every row's start value, so call numbers run 1 .. 2^32 - 1 and then start again.
  const call = model.calls = model.calls >= 0xffffffff ? 1 : model.calls + 1;
  if (call === 1) countedBy.fill(0);
  for (const token of tokens) {
    const row = featureRow.get(token);
    if (row === undefined || countedBy[row] === call) continue;
    countedBy[row] = call;
    knownFeatures++;
    for (let i = 0, at = row * c; i < c; i++, at++) sum[i] = (sum[i] as number) + (logOfCount[(countStart[i] as number) + (counts[at] as number)] as number);
  }
  return { logLikelihood: sum, knownFeatures };
}

/** log(sum(exp(x))) without overflow or underflow. */
export function logSumExp(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i] as number);
  if (max === -Infinity) return -Infinity;
  let total = 0;
  for (let i = 0; i < values.length; i++) total += Math.exp((values[i] as number) - max);
  return max + Math.log(total);
}

/** Turns log-scores into probabilities that sum to 1. */
export function normalizeLogScores(logScores: ArrayLike<number>): Float64Array {
  const z = logSumExp(logScores);
  return Float64Array.from(logScores as ArrayLike<number>, (v) => Math.exp(v - z));
}

/** natural's posterior for one block, normalised: prior times likelihood, in log space. */
export function scoreBlock(model: ScoringModel, tokens: readonly string[]): Float64Array {
  const { logLikelihood } = scoreFeatures(model, tokens);
  return normalizeLogScores(logLikelihood.map((v, i) => v + (model.logPrior[i] as number)));
}
