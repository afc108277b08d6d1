/**
 * @module model/held-out
 * natural's scores for held-out training pages, as natural trained on the other pages would give
 * them: the calibration learns from these (model/train.ts). Every count natural keeps is a sum over
 * documents (the documents of each class, and for each feature the documents of each class that
 * hold it), so the other pages' counts are the whole corpus's minus the held-out pages' own. Rather
 * than build that model for every fold (a copy of every feature's counts, a scoring table of every
 * feature, a 240,000-entry map: a third of a training run), the corpus's counts are packed once in
 * one flat array, and each fold copies it and takes away its held-out pages' counts. The scores are
 * natural's trained on the rest to the last bit (test/model/score-equivalence.test.ts).
 */
import type { BlockLogScores, NaiveBayesCounts } from './score';

/** A page's blocks as natural sees them: each block's feature tokens and class. */
export interface CountedPage {
  readonly tokens: readonly (readonly string[])[];
  readonly classes: readonly string[];
}

/** The corpus's counts, a row of per-class counts per feature. */
export interface PackedCounts {
  readonly counts: NaiveBayesCounts;
  readonly featureRow: ReadonlyMap<string, number>;
  /** Row r, class c at r * classes + c. */
  readonly byRow: Float64Array;
}

export function packCounts(counts: NaiveBayesCounts): PackedCounts {
  const c = counts.classes.length;
  const features = counts.features;
  const names = Object.keys(features);
  const featureRow = new Map<string, number>();
  const byRow = new Float64Array(names.length * c);
  names.forEach((name, row) => {
    featureRow.set(name, row);
    (features[name] as number[]).forEach((n, i) => { byRow[row * c + i] = n; });
  });
  return { counts, featureRow, byRow };
}

/**
 * A scorer for blocks of the held-out pages: natural's per-class log-likelihoods from the counts of
 * every other page, counting only features those pages hold in at least `minBlocks` blocks
 * (model/train.ts, pruneRareFeatures); a feature only the held-out pages hold is unknown, as it
 * would be. The same sums, in the same order, as compileScoringModel and scoreFeatures on those counts.
 */
export function heldOutScorer(packed: PackedCounts, held: readonly CountedPage[], minBlocks: number): (tokens: readonly string[]) => BlockLogScores {
  const { counts, featureRow, byRow } = packed;
  const c = counts.classes.length;
  const classAt = new Map(counts.classes.map((name, i) => [name, i]));
  const classTotals = [...counts.classTotals];
  // The other pages' counts: the corpus's, less the held-out pages' own. Counts are whole numbers,
  // so subtracting here gives the very values a subtraction at each lookup would. One flat copy,
  // not a small array per row touched: those were most of a fold's time, and its garbage.
  const rest = byRow.slice();
  // The block that last counted each row: a feature counts once per block (as natural counts it).
  const countedBy = new Uint32Array(byRow.length / Math.max(c, 1));
  let call = 0;
  for (const page of held) {
    page.tokens.forEach((tokens, b) => {
      // natural never counted a blank block (trainNatural)
      if (tokens.length === 0) return;
      const k = classAt.get(page.classes[b] as string) as number;
      classTotals[k] = (classTotals[k] as number) - 1;
      call++;
      for (const token of tokens) {
        const row = featureRow.get(token) as number;
        if (countedBy[row] === call) continue;
        countedBy[row] = call;
        rest[row * c + k] = (rest[row * c + k] as number) - 1;
      }
    });
  }
  const least = Math.max(minBlocks, 1);
  const { smoothing } = counts;
  return (tokens) => {
    call++;
    const sum = new Float64Array(c);
    let knownFeatures = 0;
    for (const token of tokens) {
      const row = featureRow.get(token);
      if (row === undefined || countedBy[row] === call) continue;
      countedBy[row] = call;
      const at = row * c;
      let total = 0;
      for (let i = 0; i < c; i++) total += rest[at + i] as number;
      if (total < least) continue;
      knownFeatures++;
      for (let i = 0; i < c; i++) sum[i] = (sum[i] as number) + Math.log(((rest[at + i] as number) + smoothing) / (classTotals[i] as number));
    }
    return { logLikelihood: sum, knownFeatures };
  };
}
