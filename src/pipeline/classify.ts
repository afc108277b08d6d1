/**
 * @module pipeline/classify
 * Where a block becomes a label, in order:
 *   1. segment   page text (or the caller's blocks) -> Block[]          text/segment.ts
 *   2. featurize each block -> namespaced feature tokens                features/featurize.ts
 *   3. score     natural's naive-Bayes log-likelihoods, sparse          model/score.ts
 *   4. calibrate a logistic layer turns them into class probabilities   model/calibrate.ts
 *   5. sequence  forward-backward over the page -> class probabilities  model/sequence.ts
 *   6. neighbours a softmax layer re-reads each block with the blocks beside it  model/neighbours.ts
 *   7. start     one choice per page: the block the article starts at   model/article-start.ts
 *                (4 to 7 together: model/decode.ts, which training shares)
 *   8. summarize label = most probable; content text; counts per label
 *   9. verdict   is there a paywall, and did it cut the article off      model/page-verdict.ts
 */
import type { Block, BlockResult, PageResult, Scores } from '../types';
import { PagesiftError } from '../errors';
import { normalizeBlocks, segmentText } from '../text/segment';
import { featurizePage } from '../features/featurize';
import { inRecordChain } from '../features/records';
import { scoreFeatures } from '../model/score';
import { LAST_STAGE, decodePage, type ScoredBlock, type Stage } from '../model/decode';
import { judgePage } from '../model/page-verdict';
import type { RuntimeModel } from '../model/runtime-model';

export type { Stage } from '../model/decode';

/** Page text (one non-empty line per block) or the caller's own blocks. */
export type PageInput = { readonly text: string } | { readonly blocks: readonly string[] };

export interface ClassifyOptions {
  /** Refuse a page with more blocks than this before doing any work on it. */
  readonly maxBlocks: number;
}

export function classifyPage(input: PageInput, model: RuntimeModel, options: ClassifyOptions): PageResult {
  // 1. segment
  const blocks = 'text' in input ? segmentText(input.text) : normalizeBlocks(input.blocks);
  if (blocks.length > options.maxBlocks) {
    throw new PagesiftError('too_many_blocks', `the page has ${blocks.length} blocks; at most ${options.maxBlocks} are allowed (MAX_BLOCKS)`, {
      details: { blocks: blocks.length, maxBlocks: options.maxBlocks },
    });
  }
  return classifyBlocks(blocks, model);
}

export function classifyBlocks(blocks: readonly Block[], model: RuntimeModel, until: Stage = LAST_STAGE): PageResult {
  const { labels } = model.file;
  // 2. featurize (blank blocks get no tokens)
  const tokens = featurizePage(blocks, model.file.featurizer);
  // 3. score
  const scored: ScoredBlock[] = tokens.map((t, i) => (t.length === 0 ? undefined : { ...scoreFeatures(model.scoring, t), chars: (blocks[i] as Block).text.trim().length, chain: inRecordChain(t) }));
  // 4-7. calibrate, sequence, neighbours, start: the probability of every label for every block
  const posteriors = decodePage(model, scored, until);
  // 8. summarize
  const summary: Record<string, number> = Object.fromEntries(labels.map((l) => [l, 0]));
  const results: BlockResult[] = blocks.map((block, t) => {
    const p = posteriors[t] as Float64Array;
    let best = 0;
    for (let j = 1; j < p.length; j++) if ((p[j] as number) > (p[best] as number)) best = j;
    const scores: Scores = {};
    labels.forEach((label, j) => { scores[label] = p[j] as number; });
    const label = labels[best] as string;
    summary[label] = (summary[label] as number) + 1;
    return { index: block.index, text: block.text, label, confidence: p[best] as number, scores };
  });
  // Blank blocks add nothing to the article text, whatever run they sit in.
  const content = results.filter((r) => r.label === 'content' && r.text.trim() !== '').map((r) => r.text).join('\n');
  // 9. page verdict: is there a wall, and did it cut the article off
  const paywall = model.page ? judgePage(model.page, results) : null;
  return { blocks: results, paywall, content, summary };
}
