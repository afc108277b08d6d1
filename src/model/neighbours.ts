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
 * unchanged (docs/accuracy-log.md). (On the corpus of 474 pages, two blocks scored higher in
 * cross-validation too but lower on the dev pages, so one it was until then.) A model file
 * written before the reach was stored has none and reads one block on either side.
 *
 * It also reads natural's own votes, its probabilities before calibration, for the block and the
 * block on either side (`naturalReach` in the model file): per class since `naturalClasses`, per
 * label in older model files. The calibration is fitted over every
 * block at once, so it learns how natural errs on average: out of fold, most of natural's votes for a
 * headline are related-story links, so it discounts them all, the page's real headline too. Given
 * the votes beside the block's context, this layer can tell when to trust them after all. Chosen by
 * cross-validation on 770 pages: the block's own vote took macro-F1 from 0.912 to 0.915 (seed 1) and
 * 0.911 to 0.913 (seed 2), its neighbours' votes to 0.916 and 0.914; the calibrated probabilities in
 * place of natural's scored 0.914, and votes from two blocks away 0.916 (docs/accuracy-log.md). A
 * model file written before it has no `naturalReach`, and reads none of natural's votes.
 *
 * Last, it reads the page further off (`wide` in the model file): for each range of distances, the
 * mean label probabilities of the blocks that far before and that far after. Two blocks on either
 * side see a table cell among other cells, or a paragraph between a heading and a share bar; they
 * do not see that the run of cells sits between two stretches of article, or that a lone paragraph
 * sits among menus. See NEIGHBOUR_WIDE for the figures. A model file written before it has no
 * `wide`, and reads nothing past its reach.
 *
 * And it reads how long the block and the blocks beside it are (`lengthReach`): every other input is
 * a probability, and a probability does not say whether a paragraph or a two-word line stands next
 * to the block. See NEIGHBOUR_LENGTH_REACH. A model file written before it reads no lengths.
 * Likewise whether the block and the blocks beside it are in a chain of story records
 * (features/records.ts: a list of other stories, title, date and lede each): natural weighs that
 * token as one among fifty, this layer against the context (`chainReach`, NEIGHBOUR_CHAIN_REACH).
 */
import { fitSoftmax, softmaxLog, type FitOptions, type SoftmaxParams } from './softmax';

export interface NeighbourParams extends SoftmaxParams {
  /** Blocks on either side whose probabilities the layer reads; absent (1) in older model files. */
  readonly reach?: number;
  /**
   * Blocks on either side whose natural label probabilities it also reads, besides the block's own
   * (0: the block's only); absent in older model files, which read none.
   */
  readonly naturalReach?: number;
  /**
   * Whether natural's votes are read per class (the article's first block, its short lines and its
   * body apart, and so on) rather than summed per label; absent (per label) in older model files.
   */
  readonly naturalClasses?: boolean;
  /**
   * Ranges of distance [from, to] (blocks) on either side whose mean label probabilities it also
   * reads; absent in older model files, which read nothing past `reach`.
   */
  readonly wide?: readonly WideRange[];
  /**
   * Blocks on either side whose length (the log of 1 + its characters) it also reads, besides the
   * block's own; absent in older model files, which read no lengths.
   */
  readonly lengthReach?: number;
  /**
   * Blocks on either side whose record-chain flag (1 in a chain of story records, else 0) it also
   * reads, besides the block's own; absent in older model files, which read none.
   */
  readonly chainReach?: number;
}

/** Distances from `from` to `to` blocks away, both included. */
export type WideRange = readonly [from: number, to: number];

/** The reach training fits. */
export const NEIGHBOUR_REACH = 2;
/** The reach of natural's votes training fits. */
export const NATURAL_REACH = 1;
/**
 * Training reads natural's votes per class. Summed per label, a vote for the article's first block
 * (almost always its headline) and one for a paragraph are the same "content"; apart, the pass can
 * weigh them apart. Cross-validated on 1,615 pages: 0.9298 -> 0.9306 (seed 1), 0.9305 -> 0.9310
 * (seed 2) (docs/accuracy-log.md).
 */
export const NATURAL_CLASSES = true;
/**
 * The ranges training reads: 3 to 8 and 9 to 20 blocks away. Chosen by cross-validation on 1,775
 * pages (seeds 1 / 2): macro-F1 0.9307 / 0.9308 without, 0.9330 / 0.9327 with these two ranges
 * (content F1 0.9263 / 0.9257 -> 0.9293 / 0.9285); one range of 3 to 10 scored 0.9320 and three
 * (3-6, 7-15, 16-40) 0.9331 for a third more inputs. A range with no block in it (near the page's
 * ends, or on a short page) reads the page's mean rather than a "no block" flag: with flags, a page
 * too short to have a block 9 away on either side took four flags at once, a combination training
 * never saw, and an eight-block article came out all `caption` (docs/accuracy-log.md).
 */
export const NEIGHBOUR_WIDE: readonly WideRange[] = [[3, 8], [9, 20]];
/**
 * The lengths training reads: of the block and the two blocks on either side. Chosen by
 * cross-validation on 1,775 pages (seeds 1 / 2): macro-F1 0.9330 / 0.9327 without, 0.9338 / 0.9337
 * with (the block's own alone 0.9337, one on either side 0.9334, four 0.9339 / 0.9338); the
 * calibration reads the block's own length already, but the pass weighs it against the context.
 */
export const NEIGHBOUR_LENGTH_REACH = 2;
/**
 * The record-chain flags training reads: of the block and the two blocks on either side. Chosen by
 * cross-validation on 1,775 pages (seeds 1 / 2): macro-F1 0.9338 / 0.9337 without, 0.9346 / 0.9344
 * with, content F1 0.9293 / 0.9288 -> 0.9317 / 0.9310; the block's own flag alone 0.9345, four blocks on
 * either side 0.9346 (seed 1): two, as for the lengths (docs/accuracy-log.md).
 */
export const NEIGHBOUR_CHAIN_REACH = 2;
/** Log of a probability, floored so a certain "no" is a large number rather than -Infinity. */
const FLOOR = 1e-6;

/** How far and what the pass reads: everything in its params but the fitted weights. */
export type NeighbourReads = Pick<NeighbourParams, 'reach' | 'naturalReach' | 'naturalClasses' | 'wide' | 'lengthReach' | 'chainReach'>;

/** What training fits the pass to read. */
export const TRAINED_READS: NeighbourReads = {
  reach: NEIGHBOUR_REACH,
  naturalReach: NATURAL_REACH,
  naturalClasses: NATURAL_CLASSES,
  wide: NEIGHBOUR_WIDE,
  lengthReach: NEIGHBOUR_LENGTH_REACH,
  chainReach: NEIGHBOUR_CHAIN_REACH,
};

/** A per-block flag's reach: 2 * reach + 1 inputs, none when it is not read. */
const flagInputs = (reach: number | undefined): number => (reach === undefined ? 0 : 2 * reach + 1);

/**
 * Inputs per block: for each block within reach and itself, the label log-probabilities and a "no
 * block" flag; then, if it reads them, natural's log-probabilities for each block within
 * `naturalReach`, `voteWidth` of them (one per class with `naturalClasses`, else one per label;
 * zeros where there is no block: the flags above already say so); then, if it reads them, for each
 * range of `wide`, the log of the mean label probabilities that far before, then that far after;
 * then, if it reads them, the length of each block within `lengthReach` (0 where there is none, as
 * for a blank block: neither has any text); last, if it reads them, the record-chain flag of each
 * block within `chainReach` (0 where there is none).
 */
export function neighbourInputCount(labelCount: number, voteWidth: number, reads: NeighbourReads): number {
  const reach = reads.reach ?? 1;
  return (2 * reach + 1) * (labelCount + 1) + (reads.naturalReach === undefined ? 0 : (2 * reads.naturalReach + 1) * voteWidth) + 2 * (reads.wide?.length ?? 0) * labelCount
    + flagInputs(reads.lengthReach) + flagInputs(reads.chainReach);
}

/**
 * What the pass reads of a page: label probabilities after the sequence pass, and natural's own
 * before calibration, per label and per class (model/decode.ts gives both).
 */
export interface NeighbourPage {
  readonly posteriors: readonly Float64Array[];
  readonly natural: readonly Float64Array[];
  readonly naturalClasses: readonly Float64Array[];
  /** Characters of each block's trimmed text (0 for a blank block). */
  readonly chars: readonly number[];
  /** Whether each block is in a chain of story records (features/records.ts). */
  readonly chain: readonly boolean[];
}

/** natural's votes as the pass reads them: one array per block, all of one width. */
interface VotedPage {
  readonly posteriors: readonly Float64Array[];
  readonly votes: readonly Float64Array[];
}

const voted = (page: NeighbourPage, naturalClasses: boolean | undefined): VotedPage =>
  ({ posteriors: page.posteriors, votes: naturalClasses ? page.naturalClasses : page.natural });

/** Writes block t's probability and vote inputs into x from `at`; returns where the next input goes. */
function writeInputs({ posteriors, votes }: VotedPage, t: number, k: number, reach: number, naturalReach: number | undefined, x: Float64Array, at: number): number {
  for (let d = -reach; d <= reach; d++) {
    const p = posteriors[t + d];
    if (p) {
      for (let j = 0; j < k; j++) x[at++] = Math.log(Math.max(p[j] as number, FLOOR));
      x[at++] = 0;
    } else {
      for (let j = 0; j < k; j++) x[at++] = 0;
      x[at++] = 1;
    }
  }
  if (naturalReach === undefined) return at;
  const width = (votes[t] as Float64Array).length;
  for (let d = -naturalReach; d <= naturalReach; d++) {
    const p = votes[t + d];
    for (let j = 0; j < width; j++) x[at++] = p ? Math.log(Math.max(p[j] as number, FLOOR)) : 0;
  }
  return at;
}

/**
 * Writes block t's wide inputs into x from `at` (returns where the next goes): for each range, the
 * log of the mean probability of each label over the blocks that far before it, then over those that
 * far after. `sums` holds the running sums of the page's probabilities, k per block boundary (at
 * t * k: blocks 0 to t - 1), so a mean costs the same at any width. Plain loops, no array per block:
 * this runs for every block served.
 */
function writeWideInputs(x: Float64Array, at: number, sums: Float64Array, t: number, k: number, wide: readonly WideRange[]): number {
  const n = sums.length / k - 1;
  for (const [from, to] of wide) {
    for (let side = 0; side < 2; side++) {
      let lo = Math.max(0, side === 0 ? t - to : t + from);
      let hi = Math.min(n, side === 0 ? t - from + 1 : t + to + 1);
      // No block that far: the page's mean, which says nothing about where on it the block stands.
      if (hi <= lo) [lo, hi] = [0, n];
      for (let j = 0; j < k; j++) x[at++] = Math.log(Math.max(((sums[hi * k + j] as number) - (sums[lo * k + j] as number)) / (hi - lo), FLOOR));
    }
  }
  return at;
}

/** Running sums of the page's label probabilities, k per block boundary: at t * k, blocks 0 to t - 1. */
function runningSums(posteriors: readonly Float64Array[], k: number): Float64Array {
  const sums = new Float64Array((posteriors.length + 1) * k);
  posteriors.forEach((p, t) => {
    for (let j = 0; j < k; j++) sums[(t + 1) * k + j] = (sums[t * k + j] as number) + (p[j] as number);
  });
  return sums;
}

/**
 * Every block's inputs on one page: one row per block, each a view of one array for the page (a
 * training run reads 150,000 rows; an array per row, grown by push, was garbage to collect).
 */
export function neighbourInputs(page: NeighbourPage, labelCount: number, reads: NeighbourReads): Float64Array[] {
  const { reach = 1, naturalReach, naturalClasses, wide = [], lengthReach, chainReach } = reads;
  const read = voted(page, naturalClasses);
  const sums = wide.length > 0 ? runningSums(page.posteriors, labelCount) : new Float64Array(0);
  const n = page.posteriors.length;
  const dims = neighbourInputCount(labelCount, read.votes[0]?.length ?? labelCount, reads);
  const all = new Float64Array(n * dims);
  const rows: Float64Array[] = [];
  // A per-block fact of each block within `r` on either side (0 where there is none).
  const writeFacts = (at: number, t: number, r: number | undefined, fact: (u: number) => number): number => {
    if (r === undefined) return at;
    for (let d = -r; d <= r; d++) all[at++] = t + d >= 0 && t + d < n ? fact(t + d) : 0;
    return at;
  };
  for (let t = 0; t < n; t++) {
    let at = writeInputs(read, t, labelCount, reach, naturalReach, all, t * dims);
    if (wide.length > 0) at = writeWideInputs(all, at, sums, t, labelCount, wide);
    at = writeFacts(at, t, lengthReach, (u) => Math.log1p(page.chars[u] as number));
    writeFacts(at, t, chainReach, (u) => (page.chain[u] ? 1 : 0));
    rows.push(all.subarray(t * dims, (t + 1) * dims));
  }
  return rows;
}

/**
 * 300 steps at 0.05 until featurizer version 3, then 150 at 0.15; now the first 110 of those on every
 * 4th row and 45 on all of them, as for the calibration (calibrate.ts, where the figures are).
 */
export const NEIGHBOUR_FIT_OPTIONS: FitOptions = { warmup: { every: 4, iterations: 110 }, iterations: 45, learningRate: 0.15, l2: 1e-4 };

/** The fitted pass, and what it makes of the pages it was fitted on (training reads both). */
export interface FittedNeighbours {
  readonly params: NeighbourParams;
  /** Label probabilities after the pass, page by page, as applyNeighbours gives them. */
  readonly posteriors: Float64Array[][];
}

/**
 * Fitted from "trust the sequence pass": each label's own log-probability, nothing else. The pages'
 * inputs are built once, for the fit and for the pass's output on them.
 */
export function fitNeighbours(
  pages: readonly (NeighbourPage & { readonly labels: readonly number[] })[],
  labelCount: number,
  options: FitOptions = NEIGHBOUR_FIT_OPTIONS,
  reads: NeighbourReads = TRAINED_READS,
): FittedNeighbours {
  const perPage = pages.map((p) => neighbourInputs(p, labelCount, reads));
  const labels = pages.flatMap((p) => p.labels);
  // The block's own log-probabilities come after the blocks before it (offset reach * (labelCount + 1)).
  const own = (reads.reach ?? 1) * (labelCount + 1);
  // The model file states only what the pass reads: "not read" is an absent field (the loader
  // refuses a false naturalClasses or an empty wide).
  const present = Object.fromEntries(Object.entries(reads).filter(([, v]) => v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0)));
  const params: NeighbourParams = { ...fitSoftmax(perPage.flat(), labels, labelCount, options, (c, i) => (i === own + c ? 1 : 0)), ...present };
  return { params, posteriors: perPage.map((rows) => probabilitiesOf(params, rows)) };
}

/** The pass on a page's inputs: label probabilities of every block. */
const probabilitiesOf = (params: NeighbourParams, rows: readonly Float64Array[]): Float64Array[] => rows.map((x) => softmaxLog(params, x).map(Math.exp));

/** Label probabilities of every block after the neighbour pass. */
export function applyNeighbours(params: NeighbourParams, page: NeighbourPage): Float64Array[] {
  const k = params.bias.length;
  return probabilitiesOf(params, neighbourInputs(page, k, params));
}
