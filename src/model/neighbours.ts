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
 *
 * It also reads natural's own vote for the block, its label probabilities before calibration
 * (`natural` in the model file). The calibration is fitted over every block at once, so it learns
 * how natural errs on average: out of fold, most of natural's votes for a headline are related-story
 * links, so it discounts them all, the page's real headline too. Given the vote beside the block's
 * context, this layer can tell when to trust it after all. Chosen by cross-validation on 770 pages:
 * macro-F1 0.912 -> 0.915 (seed 1) and 0.911 -> 0.913 (seed 2); reading the calibrated probabilities
 * instead scored 0.914 (README, "Accuracy"). A model file written before it has no `natural`.
 */
import { fitSoftmax, softmaxLog, type FitOptions, type SoftmaxParams } from './softmax';

export interface NeighbourParams extends SoftmaxParams {
  /** Blocks on either side whose probabilities the layer reads; absent (1) in older model files. */
  readonly reach?: number;
  /** Whether it also reads natural's label probabilities for the block; absent in older model files. */
  readonly natural?: boolean;
}

/** The reach training fits. */
export const NEIGHBOUR_REACH = 2;
/** Log of a probability, floored so a certain "no" is a large number rather than -Infinity. */
const FLOOR = 1e-6;

/**
 * Inputs per block: for each block within reach and itself, the label log-probabilities and a "no
 * block" flag; then, if it reads them, natural's label log-probabilities for the block.
 */
export function neighbourInputCount(labelCount: number, reach: number, natural = false): number {
  return (2 * reach + 1) * (labelCount + 1) + (natural ? labelCount : 0);
}

/** What the pass reads of a page: label probabilities after the sequence pass, and natural's own (before calibration). */
export interface NeighbourPage {
  readonly posteriors: readonly Float64Array[];
  readonly natural: readonly Float64Array[];
}

function inputsOf({ posteriors, natural }: NeighbourPage, t: number, k: number, reach: number, readsNatural: boolean): number[] {
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
  if (readsNatural) {
    const p = natural[t] as Float64Array;
    for (let j = 0; j < k; j++) x.push(Math.log(Math.max(p[j] as number, FLOOR)));
  }
  return x;
}

/** Every block's inputs on one page. */
export function neighbourInputs(page: NeighbourPage, labelCount: number, reach: number, readsNatural: boolean): number[][] {
  return page.posteriors.map((_, t) => inputsOf(page, t, labelCount, reach, readsNatural));
}

/** 300 steps at 0.05 until featurizer version 3; fewer, faster steps as for the calibration (calibrate.ts). */
export const NEIGHBOUR_FIT_OPTIONS: FitOptions = { iterations: 150, learningRate: 0.15, l2: 1e-4 };

/** Fitted from "trust the sequence pass": each label's own log-probability, nothing else. */
export function fitNeighbours(
  pages: readonly (NeighbourPage & { readonly labels: readonly number[] })[],
  labelCount: number,
  options: FitOptions = NEIGHBOUR_FIT_OPTIONS,
  reach: number = NEIGHBOUR_REACH,
): NeighbourParams {
  const rows = pages.flatMap((p) => neighbourInputs(p, labelCount, reach, true));
  const labels = pages.flatMap((p) => p.labels);
  // The block's own log-probabilities come after the blocks before it (offset reach * (labelCount + 1)).
  const own = reach * (labelCount + 1);
  return { ...fitSoftmax(rows, labels, labelCount, options, (c, i) => (i === own + c ? 1 : 0)), reach, natural: true };
}

/** Label probabilities of every block after the neighbour pass. */
export function applyNeighbours(params: NeighbourParams, page: NeighbourPage): Float64Array[] {
  const k = params.bias.length;
  return neighbourInputs(page, k, params.reach ?? 1, params.natural === true).map((x) => softmaxLog(params, x).map(Math.exp));
}
