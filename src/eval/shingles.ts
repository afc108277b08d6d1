/**
 * @module eval/shingles
 * The article-extraction benchmark's own text metric (../shared/realpages/README.md): \w+ tokens
 * with case kept, 4-token shingles counted as a multiset; per page precision and recall of the kept
 * text against the truth; precision averaged over pages where something was kept, recall over all
 * pages; F1 of the two averages.
 */

function shingles(text: string): Map<string, number> {
  const tokens = text.match(/[\p{L}\p{N}_]+/gu) ?? [];
  const counts = new Map<string, number>();
  for (let i = 0; i + 4 <= tokens.length; i++) {
    const key = tokens.slice(i, i + 4).join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  // Texts under 4 tokens still count as one shingle, so a short page is not silently empty.
  if (tokens.length > 0 && tokens.length < 4) counts.set(tokens.join(' '), 1);
  return counts;
}

export interface ShinglePage {
  /** The page's id, for the per-page list (`npm run evaluate -- --worst-pages N`). */
  readonly id?: string;
  /** The site the page is from, where the file says. */
  readonly site?: string;
  readonly kept: string;
  readonly truth: string;
}

export interface ShingleScore {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/** One page's figures; its precision is null when nothing was kept (the benchmark then leaves it out of the mean). */
export interface PageShingleScore {
  readonly id: string;
  readonly site?: string;
  readonly precision: number | null;
  readonly recall: number;
  readonly f1: number;
}

function pageScore(page: ShinglePage): PageShingleScore {
  const kept = shingles(page.kept);
  const truth = shingles(page.truth);
  let overlap = 0;
  let keptTotal = 0;
  let truthTotal = 0;
  for (const [k, n] of kept) {
    keptTotal += n;
    overlap += Math.min(n, truth.get(k) ?? 0);
  }
  for (const n of truth.values()) truthTotal += n;
  const precision = keptTotal > 0 ? overlap / keptTotal : null;
  const recall = truthTotal === 0 ? 1 : overlap / truthTotal;
  const p = precision ?? 0;
  return { id: page.id ?? '', ...(page.site === undefined ? {} : { site: page.site }), precision, recall, f1: p + recall === 0 ? 0 : (2 * p * recall) / (p + recall) };
}

/** Every page's figures, in the order given. */
export const pageShingleScores = (pages: readonly ShinglePage[]): PageShingleScore[] => pages.map(pageScore);

export function shingleScore(pages: readonly ShinglePage[]): ShingleScore {
  let precisionSum = 0;
  let precisionPages = 0;
  let recallSum = 0;
  for (const page of pageShingleScores(pages)) {
    if (page.precision !== null) {
      precisionSum += page.precision;
      precisionPages++;
    }
    recallSum += page.recall;
  }
  const precision = precisionPages === 0 ? 0 : precisionSum / precisionPages;
  const recall = pages.length === 0 ? 0 : recallSum / pages.length;
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}
