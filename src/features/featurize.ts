/**
 * @module features/featurize
 * Stage 2 of the pipeline: a page's blocks become feature tokens for natural's BayesClassifier.
 *
 * Every token is namespaced ("w:price", "len:f", "pos:3"): natural keys its feature index by a
 * plain object, where an integer-like key ("2019") would jump to the front and shift every other
 * feature's index, and "__proto__" would be dropped. A prefix with a colon rules out both.
 */
import type { Block } from '../types';
import { splitWords, unglueWords } from '../text/tokenize';
import { CUES, STOPWORDS } from './lexicons';
import { capitalBucket, endClass, lengthBucket, shapeTokens, startClass, tailCreditTokens, type ShapeFacts } from './shape';
import { recordTokens } from './records';

/**
 * Bump when the tokens for the same text change. Training writes this version into the model, and
 * a model is featurized as it was trained: version 1 had no lexical slots, version 2 no conjunction
 * slots and no last words of the neighbours, version 3 no tail credit, version 4 no record slot,
 * version 5 a record for every title-like line above a date line, author lines included, version 6
 * only prose that ends like a sentence as a record's paragraph (a
 * model retrained on a data volume before they came still loads and labels as before). Other
 * versions are refused.
 */
export const FEATURIZER_VERSION = 7;
export const READABLE_FEATURIZER_VERSIONS: readonly number[] = [1, 2, 3, 4, 5, 6, 7];

export interface FeaturizerOptions {
  /** At most this many distinct words per block: a long paragraph must not outvote its shape. */
  readonly wordCap: number;
  /** Fill the unused word slots with pad tokens, so short and long blocks have as many tokens. */
  readonly padWords: boolean;
}

export const DEFAULT_FEATURIZER_OPTIONS: FeaturizerOptions = { wordCap: 12, padWords: true };

/** What every feature of a block is read from, computed once: the neighbours' features read it too. */
interface BlockFacts extends ShapeFacts {
  /** For each label of CUES, how many of the block's words are its cue words. */
  readonly cueCounts: readonly number[];
}

/**
 * Only a block's first this-many characters are featurized; the block is still returned whole. A
 * 1 MB line says no more about its label than its first pages do, and every feature is linear in
 * the text. Training blocks are far shorter (the corpus's longest has 542 characters), so the
 * tokens of every trained block, and every model trained before this cap, are unchanged by it.
 */
export const MAX_FEATURE_CHARS = 10_000;

const CUE_LABELS = Object.keys(CUES);
const CUE_SETS = CUE_LABELS.map((label) => CUES[label] as ReadonlySet<string>);

function factsOf(block: Block): BlockFacts {
  const text = block.text.length > MAX_FEATURE_CHARS ? block.text.slice(0, MAX_FEATURE_CHARS) : block.text;
  const rawWords = splitWords(text);
  const words = unglueWords(rawWords);
  const cueCounts = CUE_SETS.map((set) => {
    let n = 0;
    for (const w of words) if (set.has(w)) n++;
    return n;
  });
  return { text, rawWords, words, end: endClass(text), start: startClass(text), caps: capitalBucket(rawWords), cueCounts };
}

function wordTokens(words: readonly string[], options: FeaturizerOptions): string[] {
  const seen = new Set<string>();
  for (const word of words) {
    if (seen.size >= options.wordCap) break;
    seen.add(word);
  }
  const tokens = [...seen].map((w) => `w:${w}`);
  if (options.padWords) for (let slot = seen.size; slot < options.wordCap; slot++) tokens.push(`pad:${slot}`);
  return tokens;
}

/** How many of the block's words are cue words of each label: none, one, two, three or more. */
function cueTokens(facts: BlockFacts): string[] {
  return CUE_LABELS.map((label, j) => `cue:${label}:${Math.min(3, facts.cueCounts[j] as number)}`);
}

/**
 * Cue words in the three blocks on either side: a wall, an ad box or a share bar is a run of
 * blocks, and the plain lines inside it ("Get trusted insights from experts") are known by the
 * company they keep.
 */
function nearbyCueTokens(present: readonly BlockFacts[], rank: number): string[] {
  return CUE_LABELS.map((label, j) => {
    let near = 0;
    for (let r = rank - 3; r <= rank + 3; r++) if (r !== rank && ((present[r]?.cueCounts[j] ?? 0) > 0)) near++;
    return `nearcue:${label}:${Math.min(near, 2)}`;
  });
}

/** Article prose: a long block ending like a sentence. */
function isProse(facts: BlockFacts): boolean {
  return facts.words.length >= 15 && /^(stop|question|exclaim|quote)$/.test(facts.end);
}

/**
 * Prose among the three blocks before and the three after. The page's own headline and
 * standfirst sit next to the article; a related-story headline sits among other links.
 */
function windowTokens(prose: readonly boolean[], rank: number): string[] {
  const count = (from: number, to: number): number => prose.slice(Math.max(0, from), Math.max(0, to)).filter(Boolean).length;
  return [`prosebefore:${count(rank - 3, rank)}`, `proseafter:${count(rank + 1, rank + 4)}`];
}

/**
 * One token per slot for the words at the block's edges: its first word, its first two words, its
 * last word, and the first word of the blocks before and after it. Chrome is phrased by formula
 * ("Read more", "Sign up for", "Photo: …", "… Reply"), and its phrases start and end the line; the
 * capped word tokens lose where a word stands and that two words go together. Added in featurizer
 * version 2, chosen by cross-validation (macro-F1 0.841 -> 0.875, 0.871 once rare features are
 * left out in training; docs/accuracy-log.md).
 */
function lexicalSlotTokens(f: BlockFacts, prev: BlockFacts | undefined, next: BlockFacts | undefined): string[] {
  const w = f.words;
  const first = w[0] ?? 'none';
  return [
    `first:${first}`,
    `head:${w.length >= 2 ? `${first}_${w[1] as string}` : first}`,
    `last:${lastWord(f)}`,
    `prevfirst:${prev ? prev.words[0] ?? 'none' : 'start'}`,
    `nextfirst:${next ? next.words[0] ?? 'none' : 'end'}`,
  ];
}

const lastWord = (f: BlockFacts): string => f.words[f.words.length - 1] ?? 'none';

/**
 * Conjunction slots (featurizer version 3). Naive Bayes takes every token as independent evidence,
 * so it cannot learn that a short line without a full stop is chrome after a paragraph but a
 * subheading before one, or that "the" opens a paragraph but "the" in a three-word line is a menu
 * item. A slot whose value is the pair or quadruple itself gives it that joint, still one token per
 * slot. Chosen by cross-validation (macro-F1 0.889 -> 0.900 with seed 1, 0.890 -> 0.899 with seed
 * 2; docs/accuracy-log.md), one at a time; the pairs of a block's shape alone, its position with the
 * prose around it, and its last word with its ending added nothing.
 * - `prevpair`/`nextpair`: length and ending of the block and of the one before / after it;
 * - `form`: how the block starts, ends and is capitalised;
 * - `firstlen`: its first word with its length;
 * - `prevlast`/`nextlast`: the neighbours' last words ("… Reply", "… 3 min read").
 */
function conjunctionTokens(f: BlockFacts, prev: BlockFacts | undefined, next: BlockFacts | undefined): string[] {
  const len = lengthBucket(f.words.length);
  const pair = (other: BlockFacts | undefined): string => (other ? `${lengthBucket(other.words.length)}|${other.end}` : 'none');
  return [
    `prevpair:${pair(prev)}|${len}|${f.end}`,
    `nextpair:${len}|${f.end}|${pair(next)}`,
    `form:${f.end}|${f.start}|${f.caps}`,
    `firstlen:${f.words[0] ?? 'none'}|${len}`,
    `prevlast:${prev ? lastWord(prev) : 'start'}`,
    `nextlast:${next ? lastWord(next) : 'end'}`,
  ];
}

/** Below this many blocks a "page" is an excerpt, where the tenth of the page says nothing. */
export const SHORT_PAGE_BLOCKS = 12;

/**
 * Where the block sits: which tenth of the page, or "short" on an excerpt. (A second token for
 * the first and last few blocks double-counted position and lost 0.001 macro-F1 in
 * cross-validation, so there is none.)
 */
function positionTokens(rank: number, count: number): string[] {
  if (count < SHORT_PAGE_BLOCKS) return ['pos:short'];
  return [`pos:${Math.min(9, Math.floor((rank / count) * 10))}`];
}

function neighbourTokens(slot: 'prev' | 'next', facts: BlockFacts | undefined): string[] {
  if (!facts) return [`${slot}len:none`, `${slot}end:none`];
  return [`${slot}len:${lengthBucket(facts.words.length)}`, `${slot}end:${facts.end}`];
}

/**
 * Feature tokens for every block of a page, in block order. A blank block gets no tokens: it
 * carries no evidence, and the sequence pass labels it from the blocks around it.
 */
export function featurizePage(
  blocks: readonly Block[],
  options: FeaturizerOptions & { readonly version?: number } = DEFAULT_FEATURIZER_OPTIONS,
): string[][] {
  const version = options.version ?? FEATURIZER_VERSION;
  const lexicalSlots = version >= 2;
  const conjunctions = version >= 3;
  const tailCredit = version >= 4;
  const records = version >= 5;
  const facts = blocks.map((b) => (b.text.trim() === '' ? undefined : factsOf(b)));
  const present = facts.filter((f): f is BlockFacts => f !== undefined);
  const prose = present.map(isProse);
  const record = records ? recordTokens(present, prose, version) : undefined;
  let rank = -1;
  return facts.map((f) => {
    if (!f) return [];
    rank++;
    return [
      ...wordTokens(f.words, options),
      ...shapeTokens(f, STOPWORDS),
      ...cueTokens(f),
      ...nearbyCueTokens(present, rank),
      ...positionTokens(rank, present.length),
      ...windowTokens(prose, rank),
      ...neighbourTokens('prev', present[rank - 1]),
      ...neighbourTokens('next', present[rank + 1]),
      ...(lexicalSlots ? lexicalSlotTokens(f, present[rank - 1], present[rank + 1]) : []),
      ...(conjunctions ? conjunctionTokens(f, present[rank - 1], present[rank + 1]) : []),
      ...(tailCredit ? tailCreditTokens(f.text) : []),
      ...(record ? [record[rank] as string] : []),
    ];
  });
}
