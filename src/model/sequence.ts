/**
 * @module model/sequence
 * Stage 5: a pass over the page's block sequence. One line alone is often ambiguous ("within Asia
 * itself." is paywall copy only because of the wall around it); labels come in runs, so a block's
 * label is decided with its neighbours: forward-backward over a chain whose transitions were
 * counted on the training pages, with the calibrated (and tempered) block likelihoods as evidence.
 * The chain's states are classes placed in a region of the page (model/classes.ts); the result per
 * block is the posterior of every class, summed over its states.
 */
import type { SequenceParams } from './model-file';
import { classOfState, stateSequence, statesOf } from './classes';

/** Start and transition counts over the states, from the class sequences of whole training pages. */
export function countTransitions(pages: readonly (readonly string[])[], classes: readonly string[]): Omit<SequenceParams, 'temperature'> {
  const states = statesOf(classes);
  const at = new Map(states.map((s, i) => [s, i]));
  const startCounts = states.map(() => 0);
  const transitionCounts = states.map(() => states.map(() => 0));
  for (const page of pages) {
    let prev = -1;
    for (const state of stateSequence(page)) {
      const s = at.get(state) as number;
      if (prev < 0) startCounts[s] = (startCounts[s] as number) + 1;
      else (transitionCounts[prev] as number[])[s] = ((transitionCounts[prev] as number[])[s] as number) + 1;
      prev = s;
    }
  }
  return { states, startCounts, transitionCounts };
}

export interface SequenceModel {
  readonly temperature: number;
  /** The class index each state emits. */
  readonly stateClass: Int32Array;
  readonly classCount: number;
  readonly logStart: Float64Array;
  /** logTransition[a][b] = log P(next state is b | this is a). */
  readonly logTransition: readonly Float64Array[];
  /** The same as probabilities, for the scaled pass: start[s], and transition[a * states + b]. */
  readonly start: Float64Array;
  readonly transition: Float64Array;
}

/** Laplace (+1) smoothing: a transition never seen in training stays possible. */
function logNormalize(counts: readonly number[]): Float64Array {
  const total = counts.reduce((a, b) => a + b + 1, 0);
  return Float64Array.from(counts, (c) => Math.log((c + 1) / total));
}

export function compileSequenceModel(params: SequenceParams, classes: readonly string[]): SequenceModel {
  const at = new Map(classes.map((c, i) => [c, i]));
  const logStart = logNormalize(params.startCounts);
  const logTransition = params.transitionCounts.map(logNormalize);
  return {
    temperature: params.temperature,
    stateClass: Int32Array.from(params.states, (s) => at.get(classOfState(s)) as number),
    classCount: classes.length,
    logStart,
    logTransition,
    start: logStart.map(Math.exp),
    transition: Float64Array.from(logTransition.flatMap((row) => [...row].map(Math.exp))),
  };
}

/**
 * Posterior class probabilities per block. `evidence[t]` is the block's per-class log-likelihood,
 * or undefined for a blank block (no evidence: only its neighbours decide).
 *
 * Forward-backward with per-step scaling, in probabilities rather than logs: each block's evidence is
 * exponentiated once, relative to its best class, and every step is then sums and products. The
 * log-space version needed a log-sum-exp per state pair and block and was a fifth of a request's CPU;
 * test/model/sequence.test.ts checks the two agree.
 */
export function decodeSequence(model: SequenceModel, evidence: readonly (Float64Array | undefined)[]): Float64Array[] {
  const n = evidence.length;
  const k = model.start.length;
  const { stateClass, transition, start, temperature } = model;
  // One flat array per quantity, block t's states at [t * k, t * k + k): a typed array per block
  // cost more to allocate than the arithmetic (this layout halved the pass's time).
  const emit = new Float64Array(n * k);
  const alpha = new Float64Array(n * k);
  const beta = new Float64Array(n * k);
  for (let t = 0; t < n; t++) {
    const e = evidence[t];
    const o = t * k;
    if (!e) {
      emit.fill(1, o, o + k);
      continue;
    }
    let max = -Infinity;
    for (let c = 0; c < e.length; c++) max = Math.max(max, e[c] as number);
    for (let s = 0; s < k; s++) emit[o + s] = Math.exp(((e[stateClass[s] as number] as number) - max) / temperature);
  }
  // forward, each step scaled to sum to 1
  for (let t = 0; t < n; t++) {
    const o = t * k;
    if (t === 0) {
      for (let j = 0; j < k; j++) alpha[j] = (start[j] as number) * (emit[j] as number);
    } else {
      for (let i = 0; i < k; i++) {
        const p = alpha[o - k + i] as number;
        for (let j = 0; j < k; j++) alpha[o + j] = (alpha[o + j] as number) + p * (transition[i * k + j] as number);
      }
      for (let j = 0; j < k; j++) alpha[o + j] = (alpha[o + j] as number) * (emit[o + j] as number);
    }
    normalizeRange(alpha, o, k);
  }
  // backward, the same
  beta.fill(1, (n - 1) * k, n * k);
  for (let t = n - 2; t >= 0; t--) {
    const o = t * k;
    const next = o + k;
    for (let i = 0; i < k; i++) {
      let sum = 0;
      for (let j = 0; j < k; j++) sum += (transition[i * k + j] as number) * (emit[next + j] as number) * (beta[next + j] as number);
      beta[o + i] = sum;
    }
    normalizeRange(beta, o, k);
  }
  const posteriors: Float64Array[] = [];
  for (let t = 0; t < n; t++) {
    const o = t * k;
    const posterior = new Float64Array(model.classCount);
    let z = 0;
    for (let s = 0; s < k; s++) z += (alpha[o + s] as number) * (beta[o + s] as number);
    for (let s = 0; s < k; s++) {
      const c = stateClass[s] as number;
      posterior[c] = (posterior[c] as number) + ((alpha[o + s] as number) * (beta[o + s] as number)) / z;
    }
    posteriors.push(posterior);
  }
  return posteriors;
}

/** Scales v[from .. from + length) to sum to 1: a scaled pass keeps each step's numbers in range, and posteriors are ratios. */
function normalizeRange(v: Float64Array, from: number, length: number): void {
  let sum = 0;
  for (let i = from; i < from + length; i++) sum += v[i] as number;
  for (let i = from; i < from + length; i++) v[i] = (v[i] as number) / sum;
}
