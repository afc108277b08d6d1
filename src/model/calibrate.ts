/**
 * @module model/calibrate
 * A small multinomial logistic layer on natural's per-label log-likelihoods, the block's count
 * of known features and its length. natural's formula charges a feature the label never saw log(smoothing /
 * classTotal), which is cheaper for small labels: left alone, every wordy block drifts to the rarest
 * label. Fitted on out-of-fold scores (model/train.ts), so it learns how natural errs on unseen pages.
 */
import { logSumExp } from './score';

export interface CalibrationParams {
  /** Standardisation of the inputs: label log-likelihoods, known-feature count, log length. */
  readonly mean: number[];
  readonly scale: number[];
  /** weights[label][input], full cross-label. */
  readonly weights: number[][];
  readonly bias: number[];
}

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
  const x = inputsOf(input).map((v, i) => (v - (params.mean[i] as number)) / (params.scale[i] as number));
  const logits = Float64Array.from(params.weights, (w, c) => w.reduce((s, wi, i) => s + wi * (x[i] as number), params.bias[c] as number));
  const z = logSumExp(logits);
  return logits.map((v) => v - z);
}

export interface FitOptions {
  readonly iterations: number;
  readonly learningRate: number;
  /** L2 penalty on the weights (not the biases). */
  readonly l2: number;
}

export const DEFAULT_FIT_OPTIONS: FitOptions = { iterations: 400, learningRate: 0.05, l2: 1e-4 };

/** Rounds to 10 significant digits so the model file is stable across platforms' last bits. */
const tidy = (v: number): number => Number(v.toPrecision(10));

/** Full-batch gradient descent with Adam: deterministic, no random start. */
export function fitCalibration(rows: readonly CalibrationRow[], labelCount: number, options: FitOptions = DEFAULT_FIT_OPTIONS): CalibrationParams {
  const dims = labelCount + EXTRA_INPUTS;
  const raw = rows.map(inputsOf);
  const mean = Array.from({ length: dims }, (_, i) => raw.reduce((s, x) => s + (x[i] as number), 0) / Math.max(raw.length, 1));
  const scale = mean.map((m, i) => Math.sqrt(raw.reduce((s, x) => s + ((x[i] as number) - m) ** 2, 0) / Math.max(raw.length, 1)) || 1);
  const xs = raw.map((x) => x.map((v, i) => (v - (mean[i] as number)) / (scale[i] as number)));

  // Start as "trust natural": each label's own log-likelihood, nothing else.
  const w = Array.from({ length: labelCount }, (_, c) => Array.from({ length: dims }, (_, i) => (i === c ? 1 : 0)));
  const b = new Array<number>(labelCount).fill(0);
  const params = [...w.flat(), ...b];
  const m1 = new Float64Array(params.length);
  const m2 = new Float64Array(params.length);
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  const n = Math.max(xs.length, 1);

  for (let step = 1; step <= options.iterations; step++) {
    const grad = new Float64Array(params.length);
    xs.forEach((x, r) => {
      const logits = Array.from({ length: labelCount }, (_, c) => {
        let s = params[labelCount * dims + c] as number;
        for (let i = 0; i < dims; i++) s += (params[c * dims + i] as number) * (x[i] as number);
        return s;
      });
      const z = logSumExp(logits);
      const truth = (rows[r] as CalibrationRow).label;
      for (let c = 0; c < labelCount; c++) {
        const g = Math.exp((logits[c] as number) - z) - (c === truth ? 1 : 0);
        for (let i = 0; i < dims; i++) grad[c * dims + i]! += (g * (x[i] as number)) / n;
        grad[labelCount * dims + c]! += g / n;
      }
    });
    for (let p = 0; p < labelCount * dims; p++) grad[p]! += 2 * options.l2 * (params[p] as number);
    for (let p = 0; p < params.length; p++) {
      const g = grad[p] as number;
      m1[p] = beta1 * (m1[p] as number) + (1 - beta1) * g;
      m2[p] = beta2 * (m2[p] as number) + (1 - beta2) * g * g;
      const mh = (m1[p] as number) / (1 - beta1 ** step);
      const vh = (m2[p] as number) / (1 - beta2 ** step);
      params[p] = (params[p] as number) - (options.learningRate * mh) / (Math.sqrt(vh) + eps);
    }
  }
  return {
    mean: mean.map(tidy),
    scale: scale.map(tidy),
    weights: Array.from({ length: labelCount }, (_, c) => params.slice(c * dims, (c + 1) * dims).map(tidy)),
    bias: params.slice(labelCount * dims).map(tidy),
  };
}
