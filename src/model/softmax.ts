/**
 * @module model/softmax
 * A multinomial logistic layer: standardised inputs, full weights, fitted by full-batch gradient
 * descent with Adam (deterministic: no random start, no shuffling). The calibration
 * (model/calibrate.ts) and the neighbour pass (model/neighbours.ts) are both one of these.
 */
import { logSumExp } from './score';

export interface SoftmaxParams {
  /** Standardisation of the inputs. */
  readonly mean: number[];
  readonly scale: number[];
  /** weights[class][input]. */
  readonly weights: number[][];
  readonly bias: number[];
}

export interface FitOptions {
  readonly iterations: number;
  readonly learningRate: number;
  /** L2 penalty on the weights (not the biases). */
  readonly l2: number;
}

/** Rows fitted side by side (the loop in fitSoftmax is written out for four). */
const LANES = 4;

/** Rounds to 10 significant digits so the model file is stable across platforms' last bits. */
const tidy = (v: number): number => Number(v.toPrecision(10));

/**
 * Fits the layer to rows of raw inputs and their true class. `start` gives each weight's first
 * value (default 0), so a layer can start from a sensible answer rather than from nothing.
 */
export function fitSoftmax(
  raw: readonly (readonly number[])[],
  labels: readonly number[],
  classCount: number,
  options: FitOptions,
  start: (c: number, i: number) => number = () => 0,
): SoftmaxParams {
  const dims = raw[0]?.length ?? 0;
  const mean = Array.from({ length: dims }, (_, i) => raw.reduce((s, x) => s + (x[i] as number), 0) / Math.max(raw.length, 1));
  const scale = mean.map((m, i) => Math.sqrt(raw.reduce((s, x) => s + ((x[i] as number) - m) ** 2, 0) / Math.max(raw.length, 1)) || 1);
  // Rows in one flat array, padded with zero rows to a whole number of blocks of LANES (see below).
  const count = raw.length;
  const padded = Math.ceil(count / LANES) * LANES;
  const xs = new Float64Array(padded * dims);
  raw.forEach((x, r) => {
    for (let i = 0; i < dims; i++) xs[r * dims + i] = ((x[i] as number) - (mean[i] as number)) / (scale[i] as number);
  });

  const params = Float64Array.from({ length: classCount * dims + classCount }, (_, p) => (p < classCount * dims ? start(Math.floor(p / dims), p % dims) : 0));
  const m1 = new Float64Array(params.length);
  const m2 = new Float64Array(params.length);
  const grad = new Float64Array(params.length);
  // Per lane, the row's logits, then its softmax minus the truth: the gradient of its logits.
  const [g0, g1, g2, g3] = [0, 1, 2, 3].map(() => new Float64Array(classCount)) as [Float64Array, Float64Array, Float64Array, Float64Array];
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  const n = Math.max(count, 1);
  const biasAt = classCount * dims;

  /** Turns row r's logits into the gradient of its share of the mean loss; a padding row has none. */
  const logitGradient = (r: number, out: Float64Array): void => {
    if (r >= count) {
      out.fill(0);
      return;
    }
    let max = -Infinity;
    for (let c = 0; c < classCount; c++) max = Math.max(max, out[c] as number);
    // Each class's exponential once: the softmax, from which the gradient follows.
    let total = 0;
    for (let c = 0; c < classCount; c++) {
      const e = Math.exp((out[c] as number) - max);
      out[c] = e;
      total += e;
    }
    const truth = labels[r] as number;
    // The mean gradient: scaled by 1/n once per class, not divided in the inner loop.
    for (let c = 0; c < classCount; c++) out[c] = ((out[c] as number) / total - (c === truth ? 1 : 0)) / n;
  };

  // Four rows at a time: each weight is read once for four rows and each gradient entry written once
  // for four, and the four sums run side by side rather than each waiting on its last add. Every
  // sum still adds its terms in the same order as row by row, so the fit is the same to the last bit
  // (test/model/softmax.test.ts; the model of 770 pages kept its version), in 0.6 of the time.
  for (let step = 1; step <= options.iterations; step++) {
    grad.fill(0);
    for (let r = 0; r < padded; r += LANES) {
      const [o0, o1, o2, o3] = [r * dims, (r + 1) * dims, (r + 2) * dims, (r + 3) * dims];
      for (let c = 0, at = 0; c < classCount; c++, at += dims) {
        const bias = params[biasAt + c] as number;
        let s0 = bias, s1 = bias, s2 = bias, s3 = bias;
        for (let i = 0; i < dims; i++) {
          const w = params[at + i] as number;
          s0 += w * (xs[o0 + i] as number);
          s1 += w * (xs[o1 + i] as number);
          s2 += w * (xs[o2 + i] as number);
          s3 += w * (xs[o3 + i] as number);
        }
        g0[c] = s0; g1[c] = s1; g2[c] = s2; g3[c] = s3;
      }
      logitGradient(r, g0);
      logitGradient(r + 1, g1);
      logitGradient(r + 2, g2);
      logitGradient(r + 3, g3);
      for (let c = 0, at = 0; c < classCount; c++, at += dims) {
        const [e0, e1, e2, e3] = [g0[c] as number, g1[c] as number, g2[c] as number, g3[c] as number];
        for (let i = 0; i < dims; i++) {
          grad[at + i] = (grad[at + i] as number) + e0 * (xs[o0 + i] as number) + e1 * (xs[o1 + i] as number) + e2 * (xs[o2 + i] as number) + e3 * (xs[o3 + i] as number);
        }
        grad[biasAt + c] = (grad[biasAt + c] as number) + e0 + e1 + e2 + e3;
      }
    }
    for (let p = 0; p < biasAt; p++) grad[p] = (grad[p] as number) + 2 * options.l2 * (params[p] as number);
    for (let p = 0; p < params.length; p++) {
      const g = grad[p] as number;
      m1[p] = beta1 * (m1[p] as number) + (1 - beta1) * g;
      m2[p] = beta2 * (m2[p] as number) + (1 - beta2) * g * g;
      const mh = (m1[p] as number) / (1 - beta1 ** step);
      const vh = (m2[p] as number) / (1 - beta2 ** step);
      params[p] = (params[p] as number) - (options.learningRate * mh) / (Math.sqrt(vh) + eps);
    }
  }
  const list = Array.from(params);
  return {
    mean: mean.map(tidy),
    scale: scale.map(tidy),
    weights: Array.from({ length: classCount }, (_, c) => list.slice(c * dims, (c + 1) * dims).map(tidy)),
    bias: list.slice(biasAt).map(tidy),
  };
}

/** Log-probabilities of every class for one row of raw inputs (normalised). */
export function softmaxLog(params: SoftmaxParams, raw: readonly number[]): Float64Array {
  const x = raw.map((v, i) => (v - (params.mean[i] as number)) / (params.scale[i] as number));
  const logits = Float64Array.from(params.weights, (w, c) => w.reduce((s, wi, i) => s + wi * (x[i] as number), params.bias[c] as number));
  const z = logSumExp(logits);
  return logits.map((v) => v - z);
}
