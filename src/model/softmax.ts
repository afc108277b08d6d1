/**
 * @module model/softmax
 * A multinomial logistic layer: standardised inputs, full weights, fitted by full-batch gradient
 * descent with Adam (deterministic: no random start, no shuffling). The calibration
 * (model/calibrate.ts) and the neighbour pass (model/neighbours.ts) are both one of these. Each
 * step's gradient runs on two threads, compiled to WebAssembly when the build has it
 * (model/gradient.ts); the layer comes out the same to the last bit either way.
 */
import { logSumExp } from './score';
import { GradientArena, gradientLoop, LANES, slotOf, type GradientTask } from './gradient';
import { startFitHelper } from './fit-helper';

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
  /** Whether a helper thread adds half the rows (the same result either way); default: for large fits. */
  readonly parallel?: boolean;
  /**
   * Whether the gradient loop runs compiled to WebAssembly when the build has it (model/gradient.ts;
   * the same result either way); default true.
   */
  readonly compiled?: boolean;
  /**
   * Steps taken first on every `every`-th row alone (the rows are in corpus order, so a spread of
   * pages, labels and positions), before `iterations` steps on all of them; Adam's moments carry over.
   * The full-batch fit spends most of its steps travelling towards an answer that a quarter of the
   * rows points to as well; the last steps on every row finish it (calibrate.ts, neighbours.ts).
   */
  readonly warmup?: { readonly every: number; readonly iterations: number };
}

/**
 * Rows x inputs x classes from which a helper thread pays: a training run's fits are ten times this
 * and more, a step of which takes tens of milliseconds; starting a thread takes about as long as one.
 */
const PARALLEL_MIN_WORK = 2_000_000;

/** Rounds to 10 significant digits so the model file is stable across platforms' last bits. */
export const tidy = (v: number): number => Number(v.toPrecision(10));

/**
 * Fits the layer to rows of raw inputs and their true class. `start` gives each weight's first
 * value (default 0), so a layer can start from a sensible answer rather than from nothing.
 */
export function fitSoftmax(
  raw: readonly ArrayLike<number>[],
  labels: readonly number[],
  classCount: number,
  options: FitOptions,
  start: (c: number, i: number) => number = () => 0,
): SoftmaxParams {
  const dims = raw[0]?.length ?? 0;
  const n = Math.max(raw.length, 1);
  // Plain loops, not a reduce per input: the same sums in the same order, without a boxed number
  // per row and input (about 0.3 GB of garbage in a training run). Row by row, each input's sum
  // running beside the others: every input's terms still add in row order, so the same sums as
  // input by input, without reading each of 150,000 rows once per input.
  const sums = new Float64Array(dims);
  for (const x of raw) for (let i = 0; i < dims; i++) sums[i] = (sums[i] as number) + (x[i] as number);
  const mean = Array.from(sums, (sum) => sum / n);
  const squares = new Float64Array(dims);
  for (const x of raw) for (let i = 0; i < dims; i++) squares[i] = (squares[i] as number) + ((x[i] as number) - (mean[i] as number)) ** 2;
  const scale = Array.from(squares, (sq) => Math.sqrt(sq / n) || 1);
  const all = Array.from({ length: raw.length }, (_, r) => r);
  const warm = options.warmup;
  const phaseRows: [readonly number[], number][] = warm && warm.iterations > 0
    ? [[all.filter((r) => r % Math.max(1, warm.every) === 0), warm.iterations], [all, options.iterations]]
    : [[all, options.iterations]];
  const paramCount = classCount * dims + classCount;
  const scratchLength = LANES * classCount;
  // One memory for everything the gradient loop reads and writes (model/gradient.ts), sized first:
  // each phase's rows and labels, the weights, the two halves' gradients, two threads' scratch.
  const padded = (count: number): number => Math.ceil(count / LANES) * LANES;
  const arena = new GradientArena(
    phaseRows.reduce((bytes, [rows]) => bytes + GradientArena.bytes(padded(rows.length) * dims, 8) + GradientArena.bytes(rows.length, 4), 0)
    + 3 * GradientArena.bytes(paramCount, 8) + 2 * GradientArena.bytes(scratchLength, 8),
  );
  // Rows in one flat array, padded with zero rows to a whole number of blocks of LANES (see
  // gradient.ts), on the shared memory so the helper thread reads them where they are.
  const pack = (rows: readonly number[]): GradientTask => {
    const count = rows.length;
    const xs = arena.f64(padded(count) * dims);
    const rowLabels = arena.i32(count);
    rows.forEach((from, r) => {
      const x = raw[from] as ArrayLike<number>;
      // slotOf(r, i, dims), a step of LANES per input.
      for (let i = 0, at = slotOf(r, 0, dims); i < dims; i++, at += LANES) xs[at] = ((x[i] as number) - (mean[i] as number)) / (scale[i] as number);
      rowLabels[r] = labels[from] as number;
    });
    return { xs, labels: rowLabels, count, dims, classCount };
  };
  const phases: [GradientTask, number][] = phaseRows.map(([rows, iterations]) => [pack(rows), iterations]);
  // The weights live on the shared memory too, so the helper thread reads each step's weights where they are.
  const params = arena.f64(paramCount);
  for (let p = 0; p < params.length; p++) params[p] = p < classCount * dims ? start(Math.floor(p / dims), p % dims) : 0;
  const m1 = new Float64Array(params.length);
  const m2 = new Float64Array(params.length);
  const grad = new Float64Array(params.length);
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  const biasAt = classCount * dims;
  // Each half's gradient, each thread's scratch: the first half's this thread's, the second's the helper's.
  const first = arena.f64(paramCount);
  const second = arena.f64(paramCount);
  const compiled = options.compiled ?? true;
  const scratch = arena.f64(scratchLength);
  const helperArrays = compiled ? { grad: second, memory: arena.memory, scratch: arena.f64(scratchLength) } : { grad: second };
  const addRows = gradientLoop(arena.memory, scratch, compiled);
  let step = 0;
  for (const [task, iterations] of phases) {
    // The rows in two halves, each summed on its own and then added: the same sums whether one
    // thread adds both or the helper adds the second (model/fit-helper.ts), so the model does not
    // depend on which ran.
    const end = padded(task.count);
    const half = Math.min(end, Math.ceil(task.count / (2 * LANES)) * LANES);
    const helper = (options.parallel ?? task.count * dims * classCount >= PARALLEL_MIN_WORK) ? startFitHelper(task, params, half, end, helperArrays) : undefined;
    try {
      for (let k = 1; k <= iterations; k++) {
        step++;
        helper?.start(step);
        first.fill(0);
        addRows(task, params, first, 0, half);
        if (helper) helper.wait(step);
        else {
          second.fill(0);
          addRows(task, params, second, half, end);
        }
        for (let p = 0; p < params.length; p++) grad[p] = (first[p] as number) + (second[p] as number);
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
    } finally {
      helper?.stop();
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
export function softmaxLog(params: SoftmaxParams, raw: ArrayLike<number>): Float64Array {
  // Plain loops: called for every block served, twice (calibration, neighbour pass). The sums are
  // the ones map and reduce gave, in the same order (test/model/softmax.test.ts).
  const { mean, scale, weights, bias } = params;
  const x = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) x[i] = ((raw[i] as number) - (mean[i] as number)) / (scale[i] as number);
  const logits = new Float64Array(weights.length);
  for (let c = 0; c < weights.length; c++) {
    const w = weights[c] as readonly number[];
    let sum = bias[c] as number;
    for (let i = 0; i < w.length; i++) sum += (w[i] as number) * (x[i] as number);
    logits[c] = sum;
  }
  const z = logSumExp(logits);
  for (let c = 0; c < logits.length; c++) logits[c] = (logits[c] as number) - z;
  return logits;
}
