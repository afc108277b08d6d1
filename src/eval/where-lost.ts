/**
 * @module eval/where-lost
 * Where a binary file's benchmark F1 is lost (`npm run evaluate -- --data FILE --binary`): the
 * benchmark's figure again with one kind of mistake put right, so the distance to a target can be
 * split into parts before anyone works on one. A wrongly kept block is placed by where it stands
 * against the page's article (its `content` blocks, first to last):
 * - `before`: above the article, except
 * - `header`: between the page's headline (its last block marked `headline: true` above the
 *   article; without one, the unbroken run of kept blocks just above the article) and the first
 *   `content` block. Bylines, datelines and standfirsts mostly: ../shared/labels.md calls them
 *   `content`, the benchmark's truth leaves them out, so this part is what the label scheme costs.
 * - `inside`: between the article's first and last `content` blocks (captions, ads, links);
 * - `after`: below the article (other stories, comments, bios).
 * `missed` puts the other mistake right: every `content` block kept.
 */
import { shingleScore, type ShinglePage, type ShingleScore } from './shingles';

/** A page of a binary file as the benchmark reads it: what each block is and whether it was kept. */
export interface KeptPage {
  readonly id?: string;
  readonly site?: string;
  readonly truth: string;
  readonly blocks: readonly { readonly text: string; readonly content: boolean; readonly kept: boolean; readonly headline: boolean }[];
}

export const LOSS_PARTS = ['before', 'header', 'inside', 'after', 'missed'] as const;
export type LossPart = (typeof LOSS_PARTS)[number];
type Place = Exclude<LossPart, 'missed'>;

export interface Loss {
  readonly part: LossPart;
  /** Blocks that part changes: wrongly kept blocks dropped, or missed ones kept. */
  readonly blocks: number;
  /** The benchmark's figures with that part put right and nothing else. */
  readonly score: ShingleScore;
}

/** The benchmark's page: the kept text without headlines, which its truth omits. */
export function shinglePageOf(page: KeptPage, keep: (block: KeptPage['blocks'][number], i: number) => boolean = (b) => b.kept): ShinglePage {
  const kept = page.blocks.filter((b, i) => keep(b, i) && !b.headline).map((b) => b.text);
  return { ...(page.id === undefined ? {} : { id: page.id }), ...(page.site === undefined ? {} : { site: page.site }), kept: kept.join('\n'), truth: page.truth };
}

/** Where each block stands against the article; undefined for a block that is not a wrongly kept one. */
export function placesOf(page: KeptPage): (Place | undefined)[] {
  const { blocks } = page;
  const first = blocks.findIndex((b) => b.content);
  let last = -1;
  blocks.forEach((b, i) => { if (b.content) last = i; });
  // Where the header starts: after the headline above the article, or the top of the kept run above it.
  let headerFrom = first;
  if (first > 0) {
    let headline = -1;
    for (let i = first - 1; i >= 0; i--) if ((blocks[i] as KeptPage['blocks'][number]).headline) { headline = i; break; }
    if (headline >= 0) headerFrom = headline + 1;
    else while (headerFrom > 0 && (blocks[headerFrom - 1] as KeptPage['blocks'][number]).kept) headerFrom--;
  }
  return blocks.map((b, i) => {
    if (!b.kept || b.content || b.headline) return undefined;
    if (first < 0 || i < headerFrom) return 'before';
    if (i < first) return 'header';
    return i < last ? 'inside' : 'after';
  });
}

/** The benchmark F1 as kept, then with each part put right alone. */
export function whereLost(pages: readonly KeptPage[]): { asKept: ShingleScore; losses: Loss[] } {
  const places = pages.map(placesOf);
  const asKept = shingleScore(pages.map((p) => shinglePageOf(p)));
  const losses = LOSS_PARTS.map((part): Loss => {
    let blocks = 0;
    const fixed = pages.map((page, k) => shinglePageOf(page, (b, i) => {
      if (part === 'missed') {
        if (b.content && !b.kept) blocks++;
        return b.kept || b.content;
      }
      const wrong = (places[k] as (Place | undefined)[])[i] === part;
      if (wrong) blocks++;
      return b.kept && !wrong;
    }));
    return { part, blocks, score: shingleScore(fixed) };
  });
  return { asKept, losses };
}
