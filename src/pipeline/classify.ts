/**
 * @module pipeline/classify
 * Where a block becomes a label, in order:
 *   1. segment   page text (or the caller's blocks) -> Block[]          text/segment.ts
 *   2. featurize each block -> namespaced feature tokens                features/featurize.ts
 *   3. score     natural's naive-Bayes log-likelihoods, sparse          model/score.ts
 *   4. calibrate a logistic layer turns them into class probabilities   model/calibrate.ts
 *   5. sequence  forward-backward over the page -> class probabilities  model/sequence.ts
 *   6. summarize classes summed into labels (model/classes.ts); label = most probable;
 *                content text; counts per label
 */
import type { Block, BlockResult, PageResult, Scores } from '../types';
import { PagesiftError } from '../errors';
import { normalizeBlocks, segmentText } from '../text/segment';
import { featurizePage } from '../features/featurize';
import { normalizeLogScores, scoreFeatures } from '../model/score';
import { calibrate } from '../model/calibrate';
import { decodeSequence } from '../model/sequence';
import { labelProbabilities, type RuntimeModel } from '../model/runtime-model';

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

/**
 * The last stage whose output decides the label. Serving always runs every stage; the evaluation
 * stops earlier to measure what each stage adds (`npm run evaluate -- --until score`).
 */
export type Stage = 'score' | 'calibrate' | 'sequence';

export function classifyBlocks(blocks: readonly Block[], model: RuntimeModel, until: Stage = 'sequence'): PageResult {
  const { labels } = model.file;
  const uniform = new Float64Array(labels.length).fill(1 / labels.length);
  // 2. featurize (blank blocks get no tokens)
  const tokens = featurizePage(blocks, model.file.featurizer);
  const blockPosteriors: Float64Array[] = [];
  const evidence = tokens.map((t, i) => {
    if (t.length === 0) { // a blank block has no evidence
      if (until !== 'sequence') blockPosteriors.push(uniform);
      return undefined;
    }
    // 3. score
    const { logLikelihood, knownFeatures } = scoreFeatures(model.scoring, t);
    // 4. calibrate; divided by the label's share it is a likelihood the sequence pass can weigh
    const chars = (blocks[i] as Block).text.trim().length;
    const logPosterior = calibrate(model.file.calibration, { logLikelihood, knownFeatures, chars });
    if (until === 'score') blockPosteriors.push(labelProbabilities(model, normalizeLogScores(logLikelihood.map((v, c) => v + (model.scoring.logPrior[c] as number)))));
    if (until === 'calibrate') blockPosteriors.push(labelProbabilities(model, logPosterior.map(Math.exp)));
    return logPosterior.map((v, c) => v - (model.logClassShare[c] as number));
  });
  // 5. sequence: posterior of every label for every block
  const posteriors = until === 'sequence' ? decodeSequence(model.sequence, evidence).map((p) => labelProbabilities(model, p)) : blockPosteriors;
  // 6. summarize
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
  return { blocks: results, content, summary };
}
