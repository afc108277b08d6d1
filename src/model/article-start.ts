/**
 * @module model/article-start
 * The last pass: which block starts the article? One decision per page, where every pass before it
 * decides block by block. Out of fold, most of natural's votes for the article's first block
 * (`content@head`, almost always the headline) fall on related-story headlines, so the calibration
 * discounts them all, the page's own headline too; the sequence and neighbour passes bring it back
 * only part of the way (the seed page's headline: natural 1.00, after the neighbour pass 0.53). Asked
 * once per page "which of these blocks starts the article?", the answer can weigh the blocks
 * against each other: the real headline is the one with the article after it and no article
 * before it.
 *
 * A conditional logit over the page's blocks, plus one "no article" choice: each block scores
 * weights x inputs (its own content probability and natural's votes, the content probability of the
 * blocks before and after it, how much content lies before and after it on the page, where it
 * stands). Fitted on the training pages' out-of-fold probabilities (model/train.ts), where the
 * answer is the page's first `content` block. The pass only ever raises a block's `content`
 * probability to the probability that the article starts there, and only above `threshold`: a block
 * the article starts at is content. Chosen by cross-validation on 1,615 pages (docs/accuracy-log.md).
 */
import { ARTICLE_LABEL, HEAD, labelOfClass } from './classes';
import { tidy } from './softmax';

export interface ArticleStartParams {
  /** Standardisation of the inputs. */
  readonly mean: number[];
  readonly scale: number[];
  /** One weight per input: a block's score is the same function wherever it stands. */
  readonly weights: number[];
  /** The score of "this page has no article" (a page without `content`). */
  readonly none: number;
  /** A block's `content` probability is raised only where the article starts with more than this. */
  readonly threshold: number;
}

/** Inputs per block (see startInputs). */
export const START_INPUTS = 9;
/**
 * Chosen by cross-validation on 1,615 pages (seeds 1 / 2, fitted with 300 steps at 0.05): macro-F1
 * 0.9306 / 0.9310 without the pass; with it 0.9304 / 0.9309 at 0.5, 0.9305 / 0.9310 at 0.7, 0.9306 /
 * 0.9310 at 0.8 and at 0.9, with the headline kept on 0.9466 / 0.9479 of the pages at 0.8 (0.9441 /
 * 0.9441 at 0.9) against 0.9410 / 0.9423 without it. Chosen again on 1,775 pages, with the `rounds`
 * batch (whose lists of stories make a title over a byline a weaker sign of the article's start):
 * 0.9305 / 0.9307 at 0.8, 0.9304 / 0.9307 at 0.6, with the headline kept on 0.943 / 0.942 of the
 * pages at 0.8 and 0.947 / 0.947 at 0.6 (on pages cut to start at their article, 0.826 and 0.840).
 */
export const START_THRESHOLD = 0.6;
/** Blocks before and after whose content probability a block reads. */
const REACH = 3;
const FLOOR = 1e-6;
const log = (p: number): number => Math.log(Math.max(p, FLOOR));

/** What the pass reads of a page, and which label and classes are the article's. */
export interface StartPage {
  /** Label probabilities after the neighbour pass. */
  readonly posteriors: readonly Float64Array[];
  /** natural's class probabilities. */
  readonly naturalClasses: readonly Float64Array[];
  /** Blank blocks cannot start an article. */
  readonly blank: readonly boolean[];
}

export interface StartIndexes {
  readonly contentLabel: number;
  readonly headClass: number;
  readonly contentClasses: readonly number[];
}

/** The candidate blocks of a page (every block but the blank ones) and their inputs, START_INPUTS each. */
export function startInputs(page: StartPage, at: StartIndexes): { blocks: number[]; inputs: Float64Array } {
  const blocks = page.blank.flatMap((blank, t) => (blank ? [] : [t]));
  const n = blocks.length;
  const content = blocks.map((t) => (page.posteriors[t] as Float64Array)[at.contentLabel] as number);
  const total = content.reduce((a, b) => a + b, 0);
  const inputs = new Float64Array(n * START_INPUTS);
  // With no block on one side, the mean reads as even odds.
  const meanLog = (from: number, to: number): number => {
    let sum = 0;
    let count = 0;
    for (let r = Math.max(0, from); r < Math.min(n, to); r++) { sum += log(content[r] as number); count++; }
    return count > 0 ? sum / count : Math.log(0.5);
  };
  let before = 0;
  blocks.forEach((t, r) => {
    const votes = page.naturalClasses[t] as Float64Array;
    const own = content[r] as number;
    const x = [
      log(own),
      log(votes[at.headClass] as number),
      log(at.contentClasses.reduce((s, c) => s + (votes[c] as number), 0)),
      meanLog(r + 1, r + 1 + REACH),
      meanLog(r - REACH, r),
      Math.log(0.1 + before),
      Math.log(0.1 + Math.max(0, total - before - own)),
      r / Math.max(1, n),
      r === 0 ? 1 : 0,
    ];
    inputs.set(x, r * START_INPUTS);
    before += own;
  });
  return { blocks, inputs };
}

/** The probability that the article starts at each candidate block, then that there is none (last). */
function startProbabilities(params: ArticleStartParams, inputs: Float64Array): Float64Array {
  const n = inputs.length / START_INPUTS;
  const scores = new Float64Array(n + 1);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let i = 0; i < START_INPUTS; i++) {
      s += (params.weights[i] as number) * ((inputs[r * START_INPUTS + i] as number) - (params.mean[i] as number)) / (params.scale[i] as number);
    }
    scores[r] = s;
  }
  scores[n] = params.none;
  let max = -Infinity;
  for (const s of scores) max = Math.max(max, s);
  let total = 0;
  for (let r = 0; r <= n; r++) { scores[r] = Math.exp((scores[r] as number) - max); total += scores[r] as number; }
  return scores.map((e) => e / total);
}

/** Label probabilities after the pass: the block the article most likely starts at may become content. */
export function applyArticleStart(params: ArticleStartParams, page: StartPage, at: StartIndexes): Float64Array[] {
  const { blocks, inputs } = startInputs(page, at);
  const q = startProbabilities(params, inputs);
  const out = page.posteriors.map((p) => p);
  blocks.forEach((t, r) => {
    const p = page.posteriors[t] as Float64Array;
    const starts = q[r] as number;
    const content = p[at.contentLabel] as number;
    if (starts <= params.threshold || starts <= content) return;
    // The other labels keep their proportions in what is left.
    const rest = (1 - starts) / Math.max(1 - content, 1e-12);
    out[t] = p.map((v, j) => (j === at.contentLabel ? starts : v * rest));
  });
  return out;
}

/** A training page: what the pass reads, and where its article starts (-1: it has none). */
export interface StartExample extends StartPage {
  readonly start: number;
}

/**
 * Adam, full batch, from all weights 0 (deterministic). It stops short of the likelihood's optimum,
 * which is what cross-validation chose: 300 steps at 0.05 and 100 at 0.15 scored the same on the
 * 1,711 pages (seed 1: macro-F1 0.9319 for the pages before `gen4` both times, headline kept 0.9417
 * and 0.9429; seed 2: 0.9322 and 0.9479 both), the latter in a third of the time (some 2 s of a
 * training run). Newton's method to the optimum gives weights several times larger (the content
 * after a block 1.1 -> 7.1, "none" 6.3 -> 11.1); it was not cross-validated.
 */
const FIT = { iterations: 100, learningRate: 0.15 } as const;

export function fitArticleStart(pages: readonly StartExample[], at: StartIndexes, threshold: number = START_THRESHOLD): ArticleStartParams {
  const d = START_INPUTS;
  const perPage = pages.map((page) => ({ ...startInputs(page, at), start: page.start }));
  const rows = perPage.reduce((n, p) => n + p.blocks.length, 0);
  const mean = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(0);
  for (const { inputs } of perPage) for (let k = 0; k < inputs.length; k++) mean[k % d] = (mean[k % d] as number) + (inputs[k] as number) / Math.max(rows, 1);
  for (const { inputs } of perPage) for (let k = 0; k < inputs.length; k++) scale[k % d] = (scale[k % d] as number) + ((inputs[k] as number) - (mean[k % d] as number)) ** 2 / Math.max(rows, 1);
  for (let i = 0; i < d; i++) scale[i] = Math.sqrt(scale[i] as number) || 1;
  // Every page's standardised inputs in one array, page after page; each page's answer as a row
  // of that array, or -1 for "none".
  const xs = new Float64Array(rows * d);
  const first = new Int32Array(perPage.length + 1);
  const answer = new Int32Array(perPage.length);
  let row = 0;
  perPage.forEach((p, k) => {
    first[k] = row;
    answer[k] = p.start < 0 ? -1 : row + p.blocks.indexOf(p.start);
    for (let j = 0; j < p.inputs.length; j++) xs[row * d + j] = ((p.inputs[j] as number) - (mean[j % d] as number)) / (scale[j % d] as number);
    row += p.blocks.length;
  });
  first[perPage.length] = row;
  const pageCount = Math.max(perPage.length, 1);
  // weights, then the "none" score
  const w = new Float64Array(d + 1);
  const m1 = new Float64Array(d + 1);
  const m2 = new Float64Array(d + 1);
  const g = new Float64Array(d + 1);
  const q = new Float64Array(rows);
  for (let step = 1; step <= FIT.iterations; step++) {
    g.fill(0);
    for (let k = 0; k < perPage.length; k++) {
      const from = first[k] as number;
      const to = first[k + 1] as number;
      // The page's choices' scores, then their probabilities (as startProbabilities).
      let max = w[d] as number;
      for (let r = from; r < to; r++) {
        let s = 0;
        for (let i = 0; i < d; i++) s += (w[i] as number) * (xs[r * d + i] as number);
        q[r] = s;
        max = Math.max(max, s);
      }
      let total = 0;
      for (let r = from; r < to; r++) { q[r] = Math.exp((q[r] as number) - max); total += q[r] as number; }
      const none = Math.exp((w[d] as number) - max);
      total += none;
      for (let r = from; r < to; r++) {
        const e = ((q[r] as number) / total - (r === answer[k] ? 1 : 0)) / pageCount;
        for (let i = 0; i < d; i++) g[i] = (g[i] as number) + e * (xs[r * d + i] as number);
      }
      g[d] = (g[d] as number) + (none / total - (answer[k] === -1 ? 1 : 0)) / pageCount;
    }
    for (let i = 0; i <= d; i++) {
      m1[i] = 0.9 * (m1[i] as number) + 0.1 * (g[i] as number);
      m2[i] = 0.999 * (m2[i] as number) + 0.001 * (g[i] as number) ** 2;
      w[i] = (w[i] as number) - (FIT.learningRate * (m1[i] as number) / (1 - 0.9 ** step)) / (Math.sqrt((m2[i] as number) / (1 - 0.999 ** step)) + 1e-8);
    }
  }
  return { mean: mean.map(tidy), scale: scale.map(tidy), weights: Array.from(w.subarray(0, d), tidy), none: tidy(w[d] as number), threshold };
}

/** Where the pass reads a model's article label and classes; undefined if it has no `content@head` class. */
export function startIndexes(labels: readonly string[], classes: readonly string[]): StartIndexes | undefined {
  const contentLabel = labels.indexOf(ARTICLE_LABEL);
  const headClass = classes.indexOf(HEAD);
  if (contentLabel < 0 || headClass < 0) return undefined;
  return { contentLabel, headClass, contentClasses: classes.flatMap((c, i) => (labelOfClass(c) === ARTICLE_LABEL ? [i] : [])) };
}
