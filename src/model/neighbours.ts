/**
 * @module model/neighbours
 * The last pass over a page's blocks: a softmax layer that re-reads each block's label
 * probabilities (after the sequence pass) together with those of the block before and the block
 * after. The sequence pass chains one step at a time and trusts each block's own evidence; this
 * layer weighs a block against both neighbours at once, with full cross-label weights, e.g. a
 * prose line between two "Reply"/user-name lines, or a short line between a caption and a
 * paragraph. Fitted on out-of-fold probabilities of the training pages (model/train.ts).
 *
 * How far it reads is the model's `reach`, chosen by cross-validation: with the corpus of 546 pages,
 * two blocks on either side score macro-F1 0.882 against 0.879 for one (three: 0.883, and it loses
 * a seed-page block and the seed page's verdict), with the six-label dev pages and the real pages
 * unchanged (README, "Accuracy"). (On the corpus of 474 pages, two blocks scored higher in
 * cross-validation too but lower on the dev pages, so one it was until then.) A model file
 * written before the reach was stored has none and reads one block on either side.
 */
import { fitSoftmax, softmaxLog, type FitOptions, type SoftmaxParams } from './softmax';

export interface NeighbourParams extends SoftmaxParams {
  /** Blocks on either side whose probabilities the layer reads; absent (1) in older model files. */
  readonly reach?: number;
}

/** The reach training fits. */
export const NEIGHBOUR_REACH = 2;
/** Log of a probability, floored so a certain "no" is a large number rather than -Infinity. */
const FLOOR = 1e-6;

/** Inputs per block: for each block within reach and itself, the label log-probabilities and a "no block" flag. */
export function neighbourInputCount(labelCount: number, reach: number): number {
  return (2 * reach + 1) * (labelCount + 1);
}

function inputsOf(posteriors: readonly Float64Array[], t: number, k: number, reach: number): number[] {
  const x: number[] = [];
  for (let d = -reach; d <= reach; d++) {
    const p = posteriors[t + d];
    if (p) {
      for (let j = 0; j < k; j++) x.push(Math.log(Math.max(p[j] as number, FLOOR)));
      x.push(0);
    } else {
      for (let j = 0; j < k; j++) x.push(0);
      x.push(1);
    }
  }
  return x;
}

/** Every block's inputs on one page. */
export function neighbourInputs(posteriors: readonly Float64Array[], labelCount: number, reach: number): number[][] {
  return posteriors.map((_, t) => inputsOf(posteriors, t, labelCount, reach));
}

/** 300 steps at 0.05 until featurizer version 3; fewer, faster steps as for the calibration (calibrate.ts). */
export const NEIGHBOUR_FIT_OPTIONS: FitOptions = { iterations: 150, learningRate: 0.15, l2: 1e-4 };

/** Fitted from "trust the sequence pass": each label's own log-probability, nothing else. */
export function fitNeighbours(
  pages: readonly { posteriors: Float64Array[]; labels: number[] }[],
  labelCount: number,
  options: FitOptions = NEIGHBOUR_FIT_OPTIONS,
  reach: number = NEIGHBOUR_REACH,
): NeighbourParams {
  const rows = pages.flatMap((p) => neighbourInputs(p.posteriors, labelCount, reach));
  const labels = pages.flatMap((p) => p.labels);
  // The block's own log-probabilities come after the blocks before it (offset reach * (labelCount + 1)).
  const own = reach * (labelCount + 1);
  return { ...fitSoftmax(rows, labels, labelCount, options, (c, i) => (i === own + c ? 1 : 0)), reach };
}

/** Label probabilities of every block after the neighbour pass. */
export function applyNeighbours(params: NeighbourParams, posteriors: readonly Float64Array[]): Float64Array[] {
  const k = params.bias.length;
  return neighbourInputs(posteriors, k, params.reach ?? 1).map((x) => softmaxLog(params, x).map(Math.exp));
}
