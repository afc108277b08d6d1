/**
 * @module eval/metrics
 * Confusion matrix, per-label precision/recall/F1, macro-F1, and content precision and recall
 * counted in characters (a missed 200-word paragraph costs more than a missed "Share").
 */

export interface LabelMetrics {
  readonly label: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

export interface Metrics {
  readonly labels: string[];
  /** confusion[truth][predicted] */
  readonly confusion: Record<string, Record<string, number>>;
  readonly perLabel: LabelMetrics[];
  readonly macroF1: number;
  readonly accuracy: number;
  readonly blocks: number;
  readonly contentChars: { readonly precision: number; readonly recall: number; readonly f1: number };
}

export interface Prediction {
  readonly truth: string;
  readonly predicted: string;
  readonly chars: number;
  /** Where the block is, for listing errors (eval/errors.ts): its page as tested, shared by its blocks. */
  readonly at?: { readonly page: string; readonly block: number; readonly texts: readonly string[] };
}

const f1Of = (p: number, r: number): number => (p + r === 0 ? 0 : (2 * p * r) / (p + r));
const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** Labels seen in truth or predictions; macro-F1 averages over labels present in the truth. */
export function computeMetrics(predictions: readonly Prediction[], contentLabel = 'content'): Metrics {
  const labels = [...new Set(predictions.flatMap((p) => [p.truth, p.predicted]))].sort();
  const confusion: Record<string, Record<string, number>> = Object.fromEntries(labels.map((t) => [t, Object.fromEntries(labels.map((p) => [p, 0]))]));
  let correct = 0;
  let tpChars = 0;
  let predictedChars = 0;
  let truthChars = 0;
  for (const p of predictions) {
    (confusion[p.truth] as Record<string, number>)[p.predicted]! += 1;
    if (p.truth === p.predicted) correct++;
    if (p.predicted === contentLabel) predictedChars += p.chars;
    if (p.truth === contentLabel) truthChars += p.chars;
    if (p.truth === contentLabel && p.predicted === contentLabel) tpChars += p.chars;
  }
  const perLabel = labels.map((label) => {
    const tp = confusion[label]?.[label] ?? 0;
    const support = Object.values(confusion[label] ?? {}).reduce((a, b) => a + b, 0);
    const predicted = labels.reduce((n, t) => n + (confusion[t]?.[label] ?? 0), 0);
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    return { label, precision, recall, f1: f1Of(precision, recall), support };
  });
  const present = perLabel.filter((m) => m.support > 0);
  const cp = ratio(tpChars, predictedChars);
  const cr = ratio(tpChars, truthChars);
  return {
    labels,
    confusion,
    perLabel,
    macroF1: ratio(present.reduce((s, m) => s + m.f1, 0), present.length),
    accuracy: ratio(correct, predictions.length),
    blocks: predictions.length,
    contentChars: { precision: cp, recall: cr, f1: f1Of(cp, cr) },
  };
}

/** A page's verdict against its flags. */
export interface PagePrediction {
  readonly truth: { readonly wall: boolean; readonly truncated: boolean };
  readonly predicted: { readonly wall: boolean; readonly truncated: boolean };
}

export interface FlagMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Pages whose flag is true. */
  readonly support: number;
}

export interface PageMetrics {
  readonly pages: number;
  readonly wall: FlagMetrics;
  readonly truncated: FlagMetrics;
}

/** Precision and recall of `wall` and `truncated` over the pages that carry both flags. */
export function computePageMetrics(predictions: readonly PagePrediction[]): PageMetrics {
  const of = (flag: 'wall' | 'truncated'): FlagMetrics => {
    const tp = predictions.filter((p) => p.truth[flag] && p.predicted[flag]).length;
    const predicted = predictions.filter((p) => p.predicted[flag]).length;
    const support = predictions.filter((p) => p.truth[flag]).length;
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    return { precision, recall, f1: f1Of(precision, recall), support };
  };
  return { pages: predictions.length, wall: of('wall'), truncated: of('truncated') };
}

/** The verdict on a page with both flags; undefined when the page or the model has none. */
export function pagePrediction(page: { readonly wall?: boolean; readonly truncated?: boolean }, result: { readonly paywall: { readonly wall: boolean; readonly truncated: boolean } | null }): PagePrediction | undefined {
  if (page.wall === undefined || page.truncated === undefined || !result.paywall) return undefined;
  return { truth: { wall: page.wall, truncated: page.truncated }, predicted: { wall: result.paywall.wall, truncated: result.paywall.truncated } };
}

/**
 * The article's start: of the pages with a `content` block, how many have their first one (almost
 * always the headline) predicted `content`, and what the others became. The headline is one block
 * a page, so macro-F1 barely sees it, yet losing it is what most often held training data back
 * (docs/accuracy-log.md). Blocks are grouped into pages by their shared `at.texts`, so predictions
 * without `at` count for nothing here.
 */
export interface HeadlineRecall {
  readonly pages: number;
  readonly kept: number;
  readonly recall: number;
  /** The labels the lost first blocks were given, with counts. */
  readonly lostTo: Record<string, number>;
}

export function headlineRecall(predictions: readonly Prediction[], contentLabel = 'content'): HeadlineRecall {
  const seen = new Set<readonly string[]>();
  let pages = 0;
  let kept = 0;
  const lostTo: Record<string, number> = {};
  for (const p of predictions) {
    if (!p.at || p.truth !== contentLabel || seen.has(p.at.texts)) continue;
    // Blocks of a page arrive in order, so the first content block seen is the page's first.
    seen.add(p.at.texts);
    pages++;
    if (p.predicted === contentLabel) kept++;
    else lostTo[p.predicted] = (lostTo[p.predicted] ?? 0) + 1;
  }
  return { pages, kept, recall: ratio(kept, pages), lostTo };
}

/** Figures for the pages whose id starts with a prefix (`npm run evaluate -- --group`). */
export interface GroupMetrics {
  /** The prefix, or "rest" for the pages no prefix matched. */
  readonly group: string;
  readonly pages: number;
  readonly metrics: Metrics;
  readonly headline: HeadlineRecall;
}

/**
 * The same figures per group of pages: each prefix's pages (a page goes to the first prefix it
 * starts with), then the rest. This is how a batch of new pages is judged: by what it does for the
 * pages already there, cross-validated with and without it, not only by the figure over all pages,
 * which an easy batch raises by itself.
 */
export function groupMetrics(predictions: readonly Prediction[], prefixes: readonly string[]): GroupMetrics[] {
  // One bucket per prefix, then the rest, by position: a prefix that happens to be "rest" stays its own group.
  const buckets = [...prefixes, 'rest'].map((group) => ({ group, list: [] as Prediction[], pages: new Set<readonly string[]>() }));
  const rest = buckets[prefixes.length] as (typeof buckets)[number];
  for (const p of predictions) {
    const page = p.at?.page ?? '';
    const at = prefixes.findIndex((x) => page.startsWith(x));
    const bucket = at < 0 ? rest : (buckets[at] as (typeof buckets)[number]);
    bucket.list.push(p);
    if (p.at) bucket.pages.add(p.at.texts);
  }
  return buckets
    .filter((b) => b.list.length > 0)
    .map((b) => ({ group: b.group, pages: b.pages.size, metrics: computeMetrics(b.list), headline: headlineRecall(b.list) }));
}
