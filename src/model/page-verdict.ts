/**
 * @module model/page-verdict
 * Is there a paywall on this page, and did it cut the article off? Block labels alone do not say:
 * a header "Subscribe" link is `paywall` on a page anyone can read, and a wall box under a complete
 * article (the seed page) gates the next article, not this one.
 *
 * Two small naive Bayes models (natural's formula, trained in model/train.ts on the corpus's page
 * flags) read page facts made from the labelled blocks, one token per fact:
 *   wall       how many paywall blocks there are, how many inside the article, and how many carry
 *              cue words, gating words (meters, "continue reading", subscribers only) in particular
 *   truncated  asked only of pages with a wall: how much of the article follows the wall's start,
 *              whether its last paragraph stops mid-sentence, how long it is, and how long against
 *              the reading time the page announces
 * The facts were chosen by cross-validation on training-data/ (README, "Paywall verdict"); the
 * longest run of paywall blocks and "the article ends where the wall begins" added nothing.
 * Both read blocks as serving labels them, so training uses out-of-fold labels (model/train.ts).
 */
import { CUES, MINUTE_WORDS, READING_TIME, WALL_CUES } from '../features/lexicons';
import type { BlockResult, PaywallVerdict } from '../types';
import { ARTICLE_LABEL } from './classes';
import { normalizeLogScores, scoreFeatures, type ScoringModel } from './score';

export const PAYWALL_LABEL = 'paywall';

/** The two answers the page models give; `yes` is index 1 of their classes. */
export const VERDICT_CLASSES = ['no', 'yes'];

export interface PageVerdictScoring {
  readonly wall: ScoringModel;
  readonly truncated: ScoringModel;
}

/** What a page model sees of a block: its text and label (a BlockResult, or a labelled block in training). */
export type VerdictBlock = Pick<BlockResult, 'text' | 'label'> & { readonly index?: number };

const words = (text: string): string[] => text.toLowerCase().match(/\p{L}+|\d+/gu) ?? [];
/** Lengths are counted in whitespace-separated words: cheap on long paragraphs, and what "words" means in a reading time. */
const countWords = (text: string): number => text.match(/\S+/g)?.length ?? 0;
/** A reading-time line is short ("Lesezeit: 4 Min."); paragraphs are not searched for one. */
const READING_TIME_CHARS = 60;
const bucket = (x: number, cuts: readonly number[]): number => {
  let i = 0;
  while (i < cuts.length && x >= (cuts[i] as number)) i++;
  return i;
};
/** A paragraph that ends like a sentence (or a quote, or a list item with a colon). */
const SENTENCE_END = /[.!?…"”»)'’:;]\s*$/u;
/** Article blocks shorter than this are headings, bylines and dates, not paragraphs. */
const PARAGRAPH_WORDS = 8;
const WORDS_PER_MINUTE = 200;

interface PageFacts {
  readonly paywallBlocks: number[];
  readonly wallTokens: string[];
  readonly truncationTokens: string[];
  readonly lastParagraph: number;
}

/** The announced reading time in minutes near the article's start ("6 min read"), or 0. */
function readingMinutes(textAt: (i: number) => string, from: number, to: number): number {
  for (let i = from; i < Math.min(to, from + 15); i++) {
    if (textAt(i).length > READING_TIME_CHARS) continue;
    const w = words(textAt(i));
    if (!w.some((x) => READING_TIME.has(x)) || !w.some((x) => MINUTE_WORDS.has(x))) continue;
    const n = w.find((x) => /^\d+$/.test(x));
    if (n) return Number(n);
  }
  return 0;
}

function pageFacts(blocks: readonly VerdictBlock[]): PageFacts {
  const labels = blocks.map((b) => b.label);
  const textAt = (i: number): string => (blocks[i] as VerdictBlock).text;
  const firstContent = labels.indexOf(ARTICLE_LABEL);
  const lastContent = labels.lastIndexOf(ARTICLE_LABEL);
  const paywallBlocks = labels.flatMap((l, i) => (l === PAYWALL_LABEL ? [i] : []));
  const paywallWords = paywallBlocks.map((i) => words(textAt(i)));
  const withCue = (set: ReadonlySet<string>): number => paywallWords.filter((w) => w.some((x) => set.has(x))).length;
  const inArticle = firstContent < 0 ? 0 : paywallBlocks.filter((i) => i > firstContent).length;
  const wallStart = firstContent < 0 ? -1 : paywallBlocks.find((i) => i > firstContent) ?? -1;

  const article = labels.flatMap((l, i) => (l === ARTICLE_LABEL ? [i] : []));
  const counts = new Map(article.map((i) => [i, countWords(textAt(i))]));
  const wordsOf = (i: number): number => counts.get(i) as number;
  const articleWords = article.reduce((n, i) => n + wordsOf(i), 0);
  const afterWall = wallStart < 0 ? 0 : article.filter((i) => i > wallStart).reduce((n, i) => n + wordsOf(i), 0);
  const paragraphs = article.filter((i) => wordsOf(i) >= PARAGRAPH_WORDS);
  const lastParagraph = paragraphs[paragraphs.length - 1] ?? -1;
  const midSentence = lastParagraph < 0 || !SENTENCE_END.test((blocks[lastParagraph] as VerdictBlock).text);
  const minutes = firstContent < 0 ? 0 : readingMinutes(textAt, Math.max(0, firstContent - 3), blocks.length);

  return {
    paywallBlocks,
    lastParagraph: lastParagraph >= 0 ? lastParagraph : lastContent,
    wallTokens: [
      `pv_mass=${bucket(paywallBlocks.length, [1, 2, 4, 7])}`,
      `pv_inart=${bucket(inArticle, [1, 2, 4, 7])}`,
      `pv_cue=${bucket(withCue(CUES.paywall as ReadonlySet<string>), [1, 2, 3, 5])}`,
      `pv_gate=${bucket(withCue(WALL_CUES), [1, 2, 3])}`,
    ],
    truncationTokens: [
      `pv_after=${wallStart < 0 ? 'none' : bucket(afterWall / Math.max(articleWords, 1), [0.02, 0.15, 0.35, 0.6])}`,
      `pv_mid=${midSentence}`,
      `pv_words=${bucket(articleWords, [80, 200, 400, 700])}`,
      `pv_read=${minutes === 0 ? 'none' : bucket(articleWords / (minutes * WORDS_PER_MINUTE), [0.3, 0.55, 0.8])}`,
    ],
  };
}

/** The tokens each page model learns from; training and serving both go through here. */
export function verdictTokens(blocks: readonly VerdictBlock[]): { wall: string[]; truncated: string[] } {
  const facts = pageFacts(blocks);
  return { wall: facts.wallTokens, truncated: facts.truncationTokens };
}

const yes = (model: ScoringModel, tokens: readonly string[]): number => {
  const { logLikelihood } = scoreFeatures(model, tokens);
  return normalizeLogScores(logLikelihood.map((v, i) => v + (model.logPrior[i] as number)))[1] as number;
};

export function judgePage(model: PageVerdictScoring, blocks: readonly VerdictBlock[]): PaywallVerdict {
  const facts = pageFacts(blocks);
  const pWall = yes(model.wall, facts.wallTokens);
  const pCut = yes(model.truncated, facts.truncationTokens);
  const wall = pWall > 0.5;
  const truncated = wall && pCut > 0.5;
  const confidence = wall ? pWall * (truncated ? pCut : 1 - pCut) : 1 - pWall;
  const at = (i: number): number => (blocks[i] as VerdictBlock).index ?? i;
  const evidence = [...facts.paywallBlocks, ...(truncated && facts.lastParagraph >= 0 ? [facts.lastParagraph] : [])].sort((a, b) => a - b).map(at);
  return { wall, truncated, confidence, evidence };
}
