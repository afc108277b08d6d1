/**
 * @module retrain/gate
 * A retrain, and the check that decides whether its model may go live. Pure: pages in, model and
 * figures out (retrain/worker.ts runs it off the main thread).
 *
 * The live model has seen the pages it would be judged on, so comparing it directly with a new model
 * would always favour it. Instead both recipes are trained again without a held-out fifth of the
 * pages (chosen by a hash of the page id, so the same pages are held out every time): one on the
 * data the live model learned, one on all the data now. Both are scored on the held-out pages, shipped
 * corpus and examples alike; the model that goes live is then trained on everything.
 */
import { createHash } from 'node:crypto';
import type { LabelledPage } from '../types';
import type { GateResult, ModelFile } from '../model/model-file';
import { compileModel } from '../model/runtime-model';
import { trainModel, type TrainOptions } from '../model/train';
import { classifyBlocks } from '../pipeline/classify';
import { normalizeBlocks } from '../text/segment';
import { computeMetrics, type Prediction } from '../eval/metrics';
import type { StoredBatch } from './example-store';

export interface RetrainInput {
  readonly corpus: readonly LabelledPage[];
  readonly batches: readonly StoredBatch[];
  /** How many of the batches the live model learned (0 for the shipped model). */
  readonly liveBatches: number;
  readonly options: TrainOptions;
  readonly trainedAt: string;
}

export interface RetrainOutput {
  readonly model: ModelFile;
  readonly gate: GateResult;
}

/** Example pages get ids of their own, so they never clash with the corpus or with each other. */
export function examplePages(batches: readonly StoredBatch[]): LabelledPage[] {
  return batches.flatMap((b) => b.pages.map((p) => ({ ...p, id: `examples/${b.seq}/${p.id}` })));
}

/** One page in five, fixed by its id. */
export function isHeldOut(page: LabelledPage): boolean {
  return createHash('sha256').update(page.id).digest().readUInt32BE(0) % 5 === 0;
}

function macroF1(model: ModelFile, pages: readonly LabelledPage[]): number {
  const runtime = compileModel(model);
  const predictions: Prediction[] = [];
  for (const page of pages) {
    const result = classifyBlocks(normalizeBlocks(page.blocks.map((b) => b.text)), runtime);
    page.blocks.forEach((b, i) => predictions.push({ truth: b.label, predicted: (result.blocks[i] as { label: string }).label, chars: b.text.trim().length }));
  }
  return computeMetrics(predictions).macroF1;
}

export function retrainWithGate(input: RetrainInput): RetrainOutput {
  const learned = [...input.corpus, ...examplePages(input.batches.slice(0, input.liveBatches))];
  const all = [...input.corpus, ...examplePages(input.batches)];
  const heldOut = all.filter(isHeldOut);
  const rest = (pages: readonly LabelledPage[]): LabelledPage[] => pages.filter((p) => !isHeldOut(p));

  const candidateMacroF1 = macroF1(trainModel(rest(all), input.options, input.trainedAt), heldOut);
  // Nothing new since the live model: its recipe is the candidate's, so is its score.
  const liveMacroF1 = learned.length === all.length ? candidateMacroF1 : macroF1(trainModel(rest(learned), input.options, input.trainedAt), heldOut);
  const round = (x: number): number => Math.round(x * 10000) / 10000;
  const gate: GateResult = {
    heldOutPages: heldOut.length,
    heldOutBlocks: heldOut.reduce((n, p) => n + p.blocks.length, 0),
    liveMacroF1: round(liveMacroF1),
    candidateMacroF1: round(candidateMacroF1),
  };
  const model: ModelFile = {
    ...trainModel(all, input.options, input.trainedAt),
    retrain: {
      exampleBatches: input.batches.length,
      exampleBlocks: input.batches.reduce((n, b) => n + b.pages.reduce((m, p) => m + p.blocks.length, 0), 0),
      corpusPages: input.corpus.length,
      gate,
    },
  };
  return { model, gate };
}
