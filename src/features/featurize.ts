/**
 * @module features/featurize
 * Stage 2 of the pipeline: a page's blocks become feature tokens for natural's BayesClassifier.
 *
 * Every token is namespaced ("w:price", "len:f", "pos:3"): natural keys its feature index by a
 * plain object, where an integer-like key ("2019") would jump to the front and shift every other
 * feature's index, and "__proto__" would be dropped. A prefix with a colon rules out both.
 */
import type { Block } from '../types';
import { splitWords } from '../text/tokenize';
import { CUES, STOPWORDS } from './lexicons';
import { endClass, lengthBucket, shapeTokens } from './shape';

/** Bump when the tokens for the same text change: a model trained with another version is refused. */
export const FEATURIZER_VERSION = 1;

export interface FeaturizerOptions {
  /** At most this many distinct words per block: a long paragraph must not outvote its shape. */
  readonly wordCap: number;
  /** Fill the unused word slots with pad tokens, so short and long blocks have as many tokens. */
  readonly padWords: boolean;
}

export const DEFAULT_FEATURIZER_OPTIONS: FeaturizerOptions = { wordCap: 12, padWords: true };

interface BlockFacts {
  readonly text: string;
  readonly rawWords: string[];
  readonly words: string[];
}

function factsOf(block: Block): BlockFacts {
  const rawWords = splitWords(block.text);
  return { text: block.text, rawWords, words: rawWords.map((w) => w.toLowerCase()) };
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

function cueTokens(words: readonly string[]): string[] {
  return Object.entries(CUES).map(([label, cues]) => `cue:${label}:${words.some((w) => cues.has(w)) ? 'y' : 'n'}`);
}

/** Where the block sits: tenth of the page, and whether it is at an edge. */
function positionTokens(rank: number, count: number): string[] {
  const tenth = Math.min(9, Math.floor((rank / Math.max(count, 1)) * 10));
  const edge = rank === 0 ? 'first' : rank === count - 1 ? 'last' : rank < 3 ? 'top' : count - rank <= 3 ? 'bottom' : 'mid';
  return [`pos:${tenth}`, `edge:${edge}`];
}

function neighbourTokens(slot: 'prev' | 'next', facts: BlockFacts | undefined): string[] {
  if (!facts) return [`${slot}len:none`, `${slot}end:none`];
  return [`${slot}len:${lengthBucket(facts.words.length)}`, `${slot}end:${endClass(facts.text)}`];
}

/**
 * Feature tokens for every block of a page, in block order. A blank block gets no tokens: it
 * carries no evidence, and the sequence pass labels it from the blocks around it.
 */
export function featurizePage(blocks: readonly Block[], options: FeaturizerOptions = DEFAULT_FEATURIZER_OPTIONS): string[][] {
  const facts = blocks.map((b) => (b.text.trim() === '' ? undefined : factsOf(b)));
  const present = facts.filter((f): f is BlockFacts => f !== undefined);
  let rank = -1;
  return facts.map((f) => {
    if (!f) return [];
    rank++;
    return [
      ...wordTokens(f.words, options),
      ...shapeTokens(f.text, f.rawWords, f.words, STOPWORDS),
      ...cueTokens(f.words),
      ...positionTokens(rank, present.length),
      ...neighbourTokens('prev', present[rank - 1]),
      ...neighbourTokens('next', present[rank + 1]),
    ];
  });
}
