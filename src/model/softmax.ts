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
  const xs = raw.map((x) => x.map((v, i) => (v - (mean[i] as number)) / (scale[i] as number)));

  // Flat typed arrays and one reused logits buffer: this loop is most of a training run's time.
  const params = Float64Array.from({ length: classCount * dims + classCount }, (_, p) => (p < classCount * dims ? start(Math.floor(p / dims), p % dims) : 0));
  const rows = xs.map((x) => Float64Array.from(x));
  const m1 = new Float64Array(params.length);
  const m2 = new Float64Array(params.length);
  const grad = new Float64Array(params.length);
  const logits = new Float64Array(classCount);
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  const n = Math.max(rows.length, 1);
  const biasAt = classCount * dims;

  for (let step = 1; step <= options.iterations; step++) {
    grad.fill(0);
    for (let r = 0; r < rows.length; r++) {
      const x = rows[r] as Float64Array;
      let max = -Infinity;
      for (let c = 0; c < classCount; c++) {
        let s = params[biasAt + c] as number;
        for (let i = 0; i < dims; i++) s += (params[c * dims + i] as number) * (x[i] as number);
        logits[c] = s;
        if (s > max) max = s;
      }
      // Each class's exponential once: the softmax, from which the gradient follows.
      let total = 0;
      for (let c = 0; c < classCount; c++) {
        const e = Math.exp((logits[c] as number) - max);
        logits[c] = e;
        total += e;
      }
      const truth = labels[r] as number;
      for (let c = 0; c < classCount; c++) {
        // The mean gradient: scaled by 1/n once per class, not divided in the inner loop.
        const g = ((logits[c] as number) / total - (c === truth ? 1 : 0)) / n;
        const at = c * dims;
        for (let i = 0; i < dims; i++) grad[at + i] = (grad[at + i] as number) + g * (x[i] as number);
        grad[biasAt + c] = (grad[biasAt + c] as number) + g;
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
