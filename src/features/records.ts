/**
 * @module features/records
 * The record slot (featurizer version 5): whether a block is part of a list of other stories laid
 * out like articles, each a title, a byline or date line, and one paragraph of lede, story after
 * story. Block by block such a list reads as more article (a headline, a byline, a dateline, a first
 * paragraph), and no per-block feature told them apart: trained on the pages written for it
 * (`training-data/rounds.jsonl`), cross-validation still kept their stories as article (content F1
 * 0.671 on those pages). What tells them apart is the page's layout as a whole: the article's own
 * header is followed by many paragraphs, a story in such a list by one and then the next story.
 * Chosen by cross-validation on the corpus with those pages (docs/accuracy-log.md).
 *
 * The slot marks only chains: three or more records in a row, each with exactly one paragraph of
 * prose, each running straight into the next. Looser versions (any record, or any record with at
 * most one paragraph) fired on infoboxes, Q&A headers and live-blog entries by the thousand and
 * taught nothing.
 */
import type { ShapeFacts } from './shape';

/** A short line with a year, a clock time or a relative time ("5 hours ago", "3 Std."). */
const DATED = /\b(?:19|20)\d{2}\b|\b\d{1,2}[:.h]\d{2}\b|\b\d+\s?(?:m|h|d|min|mins|minutes?|hours?|hrs?|days?|std|stunden?|tage?n?|heures?|jours?|horas?|d[ií]as?|ore|giorni|uur|dagen|minuten)\b/iu;
/** A byline in the corpus's languages: "By", "Von", "Par", "Por", "Di", "Door", "De", "Da" and a name. */
const BYLINE = /^(?:by|von|par|por|di|door|de|da)\s+\p{Lu}/iu;
/** A record is at most this many blocks long when no next record ends it sooner. */
const MAX_RECORD = 6;
/** A record's byline or date line comes within this many blocks of its title. */
const META_REACH = 3;
/** A record's paragraph (version 7): a line of at least this many words, as featurize.ts's prose. */
const LEDE_WORDS = 15;
/** Chains shorter than this are not marked: two stories side by side are not yet a list. */
const MIN_CHAIN = 3;

const isMeta = (f: ShapeFacts): boolean => f.words.length <= 10 && (DATED.test(f.text) || BYLINE.test(f.text.trim()));
/** A title: 3 to 16 words, not ending like a sentence or a label (and not itself a byline or date). */
const titleShaped = (f: ShapeFacts): boolean => f.words.length >= 3 && f.words.length <= 16 && !/^(stop|ellipsis|colon|comma)$/.test(f.end);

/** A person's name: two to four words, each capitalised ("Sen. Jane Doe", "Kaylee McGhee"). */
const nameShaped = (f: ShapeFacts): boolean => f.words.length >= 2 && f.words.length <= 4 && /^(?:\p{Lu}[\p{L}'’.-]*\s*)+$/u.test(f.text.trim());

interface StoryRecord {
  readonly from: number;
  /** One past its last block. */
  readonly to: number;
  /** It holds exactly one paragraph. */
  readonly onePara: boolean;
  /** The next record starts where it ends. */
  readonly joined: boolean;
}

/** The token of a block in a chain of story records. */
export const RECORD_CHAIN = 'record:chain';

/** Whether a block's feature tokens put it in a chain of story records (none do before featurizer version 5). */
export const inRecordChain = (tokens: readonly string[]): boolean => tokens.includes(RECORD_CHAIN);

/**
 * One token per block (`record:chain` or `record:none`), in the order of `blocks` (the page's
 * non-blank blocks); `prose[r]` says whether block r is article-like prose (featurize.ts), a
 * record's paragraph before version 7. `version` is the featurizer's: 5, 6 or 7.
 */
export function recordTokens(blocks: readonly ShapeFacts[], prose: readonly boolean[], version: number): string[] {
  // Each block's pattern tests once: this runs on every page served.
  const meta = blocks.map(isMeta);
  const oneStartPerMeta = version >= 6;
  // A lede is often a sentence cut short or left without its full stop: from version 7 on, any
  // line of LEDE_WORDS words or more that is not a byline or date line counts as a record's paragraph.
  const isParagraph = version >= 7 ? (r: number) => (blocks[r] as ShapeFacts).words.length >= LEDE_WORDS && !meta[r] : (r: number) => prose[r] as boolean;
  const n = blocks.length;
  const starts: number[] = [];
  let lastMeta = -1;
  for (let r = 0; r < n; r++) {
    if (meta[r] || !titleShaped(blocks[r] as ShapeFacts)) continue;
    for (let d = 1; d <= META_REACH && r + d < n; d++) {
      if (!meta[r + d]) continue;
      // Two title-like lines above one date line: a heading above the first title ("More from the
      // Herald"), or an author line long enough to pass for a title ("Sen. Jane Doe") below it. The
      // record starts at the lower one unless that is a name (version 6; before, both started a
      // record, and the one of no paragraph broke the chain).
      if (oneStartPerMeta && r + d === lastMeta) {
        if (!nameShaped(blocks[r] as ShapeFacts)) starts[starts.length - 1] = r;
      } else {
        starts.push(r);
      }
      lastMeta = r + d;
      break;
    }
  }
  const records: StoryRecord[] = starts.map((from, k) => {
    const next = k + 1 < starts.length ? (starts[k + 1] as number) : n;
    const to = Math.min(next, from + MAX_RECORD);
    let paragraphs = 0;
    for (let r = from; r < to; r++) if (isParagraph(r)) paragraphs++;
    return { from, to, onePara: paragraphs === 1, joined: to === next };
  });
  const tokens = blocks.map(() => 'record:none');
  let k = 0;
  while (k < records.length) {
    // The chain from record k: one-paragraph records, each after one that ran straight into it.
    let end = k;
    while (end < records.length && (records[end] as StoryRecord).onePara && (end === k || (records[end - 1] as StoryRecord).joined)) end++;
    if (end - k >= MIN_CHAIN) {
      for (const { from, to } of records.slice(k, end)) tokens.fill(RECORD_CHAIN, from, to);
    }
    k = Math.max(end, k + 1);
  }
  return tokens;
}
