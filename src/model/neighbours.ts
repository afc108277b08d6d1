/**
 * @module model/neighbours
 * The last pass over a page's blocks: a softmax layer that re-reads each block's label
 * probabilities (after the sequence pass) together with those of the block before and the block
 * after. The sequence pass chains one step at a time and trusts each block's own evidence; this
 * layer weighs a block against both neighbours at once, with full cross-label weights, e.g. a
 * prose line between two "Reply"/user-name lines, or a short line between a caption and a
 * paragraph. Fitted on out-of-fold probabilities of the training pages (model/train.ts).
 *
 * One block on either side, and nothing page-wide: two blocks on either side plus the page's mean
 * probabilities and the block's position scored higher in cross-validation (macro-F1 0.861 against
 * 0.853) but lower on the six-label dev pages (0.780 against 0.802) and lost a seed-page block, as
 * did two blocks on either side alone (README, "Accuracy").
 */
import { fitSoftmax, softmaxLog, type FitOptions, type SoftmaxParams } from './softmax';

export type NeighbourParams = SoftmaxParams;

/** Blocks on either side whose probabilities the layer reads. */
const REACH = 1;
/** Log of a probability, floored so a certain "no" is a large number rather than -Infinity. */
const FLOOR = 1e-6;

/** Inputs per block: for the block before, itself and the block after, the label log-probabilities and a "no block" flag. */
export function neighbourInputCount(labelCount: number): number {
  return (2 * REACH + 1) * (labelCount + 1);
}

function inputsOf(posteriors: readonly Float64Array[], t: number, k: number): number[] {
  const x: number[] = [];
  for (let d = -REACH; d <= REACH; d++) {
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
export function neighbourInputs(posteriors: readonly Float64Array[], labelCount: number): number[][] {
  return posteriors.map((_, t) => inputsOf(posteriors, t, labelCount));
}

export const NEIGHBOUR_FIT_OPTIONS: FitOptions = { iterations: 300, learningRate: 0.05, l2: 1e-4 };

/** Fitted from "trust the sequence pass": each label's own log-probability, nothing else. */
export function fitNeighbours(pages: readonly { posteriors: Float64Array[]; labels: number[] }[], labelCount: number, options: FitOptions = NEIGHBOUR_FIT_OPTIONS): NeighbourParams {
  const rows = pages.flatMap((p) => neighbourInputs(p.posteriors, labelCount));
  const labels = pages.flatMap((p) => p.labels);
  // The block's own log-probabilities come first in its inputs (offset REACH * (labelCount + 1)).
  const own = REACH * (labelCount + 1);
  return fitSoftmax(rows, labels, labelCount, options, (c, i) => (i === own + c ? 1 : 0));
}

/** Label probabilities of every block after the neighbour pass. */
export function applyNeighbours(params: NeighbourParams, posteriors: readonly Float64Array[]): Float64Array[] {
  const k = params.bias.length;
  return neighbourInputs(posteriors, k).map((x) => softmaxLog(params, x).map(Math.exp));
}
