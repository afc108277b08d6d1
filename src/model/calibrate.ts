/**
 * @module model/calibrate
 * A small multinomial logistic layer on natural's per-label log-likelihoods, the block's count
 * of known features and its length. natural's formula charges a feature the label never saw log(smoothing /
 * classTotal), which is cheaper for small labels: left alone, every wordy block drifts to the rarest
 * label. Fitted on out-of-fold scores (model/train.ts), so it learns how natural errs on unseen pages.
 */
import { fitSoftmax, softmaxLog, type FitOptions, type SoftmaxParams } from './softmax';

/** Inputs: the label log-likelihoods, the known-feature count, the log length; weights full cross-label. */
export type CalibrationParams = SoftmaxParams;

/** What the layer sees of one block. */
export interface CalibrationInput {
  readonly logLikelihood: ArrayLike<number>;
  readonly knownFeatures: number;
  /** Characters of the block's trimmed text. */
  readonly chars: number;
}

export interface CalibrationRow extends CalibrationInput {
  /** Index of the true label. */
  readonly label: number;
}

/** Blocks longer than this many characters count as this long. */
const LENGTH_CAP = 1000;

/** Inputs per block: one per label, then known features, then length. */
export const EXTRA_INPUTS = 2;

/**
 * Each label's log-likelihood relative to the labels' mean: the absolute level mostly says how
 * long the block is, which the known-feature count already tells.
 */
function inputsOf(input: CalibrationInput): number[] {
  const values = Array.from(input.logLikelihood);
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);
  // natural's formula has no term for block length (it counts present features only): this is it.
  // Capped, so a 2,000-word paragraph is not extrapolated far past every block seen in training.
  return [...values.map((v) => v - mean), input.knownFeatures, Math.log1p(Math.min(input.chars, LENGTH_CAP))];
}

/** Calibrated log-probabilities of every label for one block (normalised). */
export function calibrate(params: CalibrationParams, input: CalibrationInput): Float64Array {
  return softmaxLog(params, inputsOf(input));
}

/**
 * Half the steps at three times the rate of the first fit (400 at 0.05) gave the same
 * cross-validated macro-F1 (0.9005 against 0.8999 with seed 1, 0.8997 against 0.8992 with seed 2,
 * with the neighbour pass likewise) in half the time. Since then the first 150 of those steps see a
 * quarter of the rows (every 4th), and 60 steps on every row finish the fit: a third of the gradient
 * work of 200 steps on every row, with the same figures (1,231 pages, both fits so: 0.9233 and 0.9237
 * with fold seeds 1 and 2, against 0.9228 and 0.9235), and training 4 to 5 s shorter. Now the first
 * 170 steps see every 6th row and 40 on every row finish it, two thirds of that work again: on 1,711
 * pages the same figures to the fourth decimal (0.9319 and 0.9323 with fold seeds 1 and 2, content F1
 * 0.9308 and 0.9310, pages cut to their article 0.9291, headline recall 0.872). 200 steps on every
 * 8th row and 25 on all scored 0.9318 and 0.9323. The neighbour pass keeps its fit
 * (neighbours.ts): cut the same way, it cost 0.0002 and 0.0004, and 0.018 of the headlines kept on
 * pages cut to their article (docs/performance-log.md).
 */
export const DEFAULT_FIT_OPTIONS: FitOptions = { warmup: { every: 6, iterations: 170 }, iterations: 40, learningRate: 0.15, l2: 1e-4 };

/** Fitted from "trust natural": each label's own log-likelihood, nothing else. */
export function fitCalibration(rows: readonly CalibrationRow[], labelCount: number, options: FitOptions = DEFAULT_FIT_OPTIONS): CalibrationParams {
  return fitSoftmax(rows.map(inputsOf), rows.map((r) => r.label), labelCount, options, (c, i) => (i === c ? 1 : 0));
}
