/**
 * @module model/sequence
 * Stage 5: a pass over the page's block sequence. One line alone is often ambiguous ("within Asia
 * itself." is paywall copy only because of the wall around it); labels come in runs, so a block's
 * label is decided with its neighbours: forward-backward over a chain whose transitions were
 * counted on the training pages, with the calibrated (and tempered) block likelihoods as evidence.
 * The chain's states are classes placed in a region of the page (model/classes.ts); the result per
 * block is the posterior of every class, summed over its states.
 */
import { logSumExp } from './score';
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
}

/** Laplace (+1) smoothing: a transition never seen in training stays possible. */
function logNormalize(counts: readonly number[]): Float64Array {
  const total = counts.reduce((a, b) => a + b + 1, 0);
  return Float64Array.from(counts, (c) => Math.log((c + 1) / total));
}

export function compileSequenceModel(params: SequenceParams, classes: readonly string[]): SequenceModel {
  const at = new Map(classes.map((c, i) => [c, i]));
  return {
    temperature: params.temperature,
    stateClass: Int32Array.from(params.states, (s) => at.get(classOfState(s)) as number),
    classCount: classes.length,
    logStart: logNormalize(params.startCounts),
    logTransition: params.transitionCounts.map(logNormalize),
  };
}

/**
 * Posterior class probabilities per block. `evidence[t]` is the block's per-class log-likelihood,
 * or undefined for a blank block (no evidence: only its neighbours decide).
 */
export function decodeSequence(model: SequenceModel, evidence: readonly (Float64Array | undefined)[]): Float64Array[] {
  const n = evidence.length;
  const k = model.logStart.length;
  const emit = evidence.map((e) => (e ? Float64Array.from(model.stateClass, (c) => (e[c] as number) / model.temperature) : new Float64Array(k)));
  const alpha: Float64Array[] = [];
  const beta: Float64Array[] = new Array(n);
  const scratch = new Float64Array(k);

  for (let t = 0; t < n; t++) {
    const a = new Float64Array(k);
    const e = emit[t] as Float64Array;
    for (let j = 0; j < k; j++) {
      if (t === 0) {
        a[j] = (model.logStart[j] as number) + (e[j] as number);
      } else {
        const prev = alpha[t - 1] as Float64Array;
        for (let i = 0; i < k; i++) scratch[i] = (prev[i] as number) + ((model.logTransition[i] as Float64Array)[j] as number);
        a[j] = logSumExp(scratch) + (e[j] as number);
      }
    }
    alpha.push(a);
  }
  for (let t = n - 1; t >= 0; t--) {
    const b = new Float64Array(k);
    if (t < n - 1) {
      const next = beta[t + 1] as Float64Array;
      const e = emit[t + 1] as Float64Array;
      for (let i = 0; i < k; i++) {
        const row = model.logTransition[i] as Float64Array;
        for (let j = 0; j < k; j++) scratch[j] = (row[j] as number) + (e[j] as number) + (next[j] as number);
        b[i] = logSumExp(scratch);
      }
    }
    beta[t] = b;
  }
  return alpha.map((a, t) => {
    const joint = a.map((v, s) => v + ((beta[t] as Float64Array)[s] as number));
    const z = logSumExp(joint);
    const posterior = new Float64Array(model.classCount);
    joint.forEach((v, s) => {
      const c = model.stateClass[s] as number;
      posterior[c] = (posterior[c] as number) + Math.exp(v - z);
    });
    return posterior;
  });
}
