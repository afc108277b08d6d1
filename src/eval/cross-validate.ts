/**
 * @module eval/cross-validate
 * k-fold cross-validation grouped by page: every block of a test page is kept out of training,
 * so a page's repeated chrome cannot leak its answer. Folds come from a seeded shuffle.
 */
import type { LabelledPage } from '../types';
import { compileModel } from '../model/runtime-model';
import { ARTICLE_START_BEFORE, articleStart, trainModel, type TrainOptions } from '../model/train';
import { classifyBlocks } from '../pipeline/classify';
import { LAST_STAGE, type Stage } from '../model/decode';
import { normalizeBlocks } from '../text/segment';
import { pagePrediction, type PagePrediction, type Prediction } from './metrics';
import { foldsOf } from '../model/folds';

export interface CrossValidation {
  readonly predictions: Prediction[];
  /** The page verdict on every held-out page that carries `wall` and `truncated`. */
  readonly pages: PagePrediction[];
  /** How many pages each fold's model was trained on. */
  readonly trainedOn: number[];
}

/**
 * The pages a fold trains on: every page not held out, or a seeded random share of them for a
 * learning curve (`npm run evaluate -- --train-fraction 0.5`): the held-out pages stay the same, so
 * the figures say what more training data of the same kind would buy.
 */
function trainingPages(pages: readonly LabelledPage[], held: ReadonlySet<number>, fraction: number, seed: number): LabelledPage[] {
  const rest = pages.filter((_, i) => !held.has(i));
  if (fraction >= 1) return rest;
  const order = foldsOf(rest.length, 1, seed)[0] as number[];
  const keep = new Set(order.slice(0, Math.max(1, Math.round(rest.length * fraction))));
  return rest.filter((_, i) => keep.has(i));
}

/**
 * A held-out page as a crawler that sends only the article's container would send it: from 0, 1 or
 * 2 blocks (taking turns by page) before its first `content` block (`--article-only`). A page
 * without content is tested whole.
 */
function articleOnly(page: LabelledPage, i: number): LabelledPage {
  const start = articleStart(page.blocks.map((b) => b.label), i % ARTICLE_START_BEFORE);
  return start === undefined ? page : { ...page, blocks: page.blocks.slice(start) };
}

export function crossValidate(
  pages: readonly LabelledPage[],
  options: TrainOptions,
  k: number,
  seed: number,
  onFold: (done: number, total: number) => void = () => {},
  until: Stage = LAST_STAGE,
  trainFraction = 1,
  cutToArticle = false,
): CrossValidation {
  const predictions: Prediction[] = [];
  const pagePredictions: PagePrediction[] = [];
  const trainedOn: number[] = [];
  const folds = foldsOf(pages.length, k, seed);
  folds.forEach((fold, f) => {
    const held = new Set(fold);
    const training = trainingPages(pages, held, trainFraction, seed * 1000 + f);
    trainedOn.push(training.length);
    const model = compileModel(trainModel(training, options, 'cross-validation'));
    for (const i of fold) {
      const page = cutToArticle ? articleOnly(pages[i] as LabelledPage, i) : pages[i] as LabelledPage;
      const texts = page.blocks.map((b) => b.text);
      const result = classifyBlocks(normalizeBlocks(texts), model, until);
      page.blocks.forEach((b, j) => predictions.push({ truth: b.label, predicted: (result.blocks[j] as { label: string }).label, chars: b.text.trim().length, at: { page: page.id, block: j, texts } }));
      const verdict = pagePrediction(page, result);
      if (verdict) pagePredictions.push(verdict);
    }
    onFold(f + 1, folds.length);
  });
  return { predictions, pages: pagePredictions, trainedOn };
}
