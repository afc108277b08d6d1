/**
 * @module model/decode
 * From natural's scores of a page's blocks to a probability of every label for every block:
 * calibration, the sequence pass, the neighbour pass, then the article-start pass. Serving runs it on fresh scores (pipeline/classify.ts);
 * training runs it on out-of-fold scores, to see pages as serving will (model/train.ts).
 */
import { calibrate } from './calibrate';
import { normalizeLogScores, type BlockLogScores } from './score';
import { decodeSequence } from './sequence';
import { labelProbabilities, type RuntimeModel } from './runtime-model';
import { applyNeighbours } from './neighbours';
import { applyArticleStart, startIndexes } from './article-start';

/**
 * natural's scores of one block, its length, and whether the featurizer put it in a chain of story
 * records (features/records.ts); undefined for a blank block, which has no evidence.
 */
export type ScoredBlock = (BlockLogScores & { readonly chars: number; readonly chain: boolean }) | undefined;

/**
 * The last stage whose output decides the label. Serving always runs every stage; the evaluation
 * stops earlier to measure what each stage adds (`npm run evaluate -- --until score`).
 */
export const STAGES = ['score', 'calibrate', 'sequence', 'neighbours', 'start'] as const;
export type Stage = (typeof STAGES)[number];
/** Every stage: what serving runs. */
export const LAST_STAGE: Stage = 'start';

/** Label probabilities of every block, in page order. */
export function decodePage(model: RuntimeModel, scored: readonly ScoredBlock[], until: Stage = LAST_STAGE): Float64Array[] {
  return decodeStages(model, scored, until).posteriors;
}

/**
 * Label probabilities of every block after the last stage run, natural's own before calibration,
 * per label and per class, the blocks' lengths and which are in a chain of story records (the
 * neighbour pass reads all of them; training fits it on them).
 */
export function decodeStages(model: RuntimeModel, scored: readonly ScoredBlock[], until: Stage = LAST_STAGE): { posteriors: Float64Array[]; natural: Float64Array[]; naturalClasses: Float64Array[]; chars: number[]; chain: boolean[] } {
  const uniform = new Float64Array(model.file.labels.length).fill(1 / model.file.labels.length);
  const classCount = model.file.classes.length;
  const uniformClasses = new Float64Array(classCount).fill(1 / classCount);
  const natural: Float64Array[] = [];
  const naturalClasses: Float64Array[] = [];
  // Only kept when the evaluation stops at the calibration.
  const calibrated: Float64Array[] = [];
  const evidence = scored.map((s) => {
    if (!s) {
      natural.push(uniform);
      naturalClasses.push(uniformClasses);
      if (until === 'calibrate') calibrated.push(uniform);
      return undefined;
    }
    const perClass = normalizeLogScores(s.logLikelihood.map((v, c) => v + (model.scoring.logPrior[c] as number)));
    naturalClasses.push(perClass);
    natural.push(labelProbabilities(model, perClass));
    // calibrate; divided by the class's share it is a likelihood the sequence pass can weigh
    const logPosterior = calibrate(model.file.calibration, s);
    if (until === 'calibrate') calibrated.push(labelProbabilities(model, logPosterior.map(Math.exp)));
    return logPosterior.map((v, c) => v - (model.logClassShare[c] as number));
  });
  const chars = scored.map((s) => s?.chars ?? 0);
  const chain = scored.map((s) => s?.chain ?? false);
  if (until === 'score') return { posteriors: natural, natural, naturalClasses, chars, chain };
  if (until === 'calibrate') return { posteriors: calibrated, natural, naturalClasses, chars, chain };
  const sequenced = decodeSequence(model.sequence, evidence).map((p) => labelProbabilities(model, p));
  const page = { posteriors: sequenced, natural, naturalClasses, chars, chain };
  // A model without the neighbour pass (format 2) stops at the sequence pass.
  if (until === 'sequence' || !model.file.neighbours) return page;
  const neighboured = { ...page, posteriors: applyNeighbours(model.file.neighbours, page) };
  // And one written before the article-start pass stops at the neighbour pass.
  const at = startIndexes(model.file.labels, model.file.classes);
  if (until === 'neighbours' || !model.file.start || !at) return neighboured;
  return { ...page, posteriors: applyArticleStart(model.file.start, { ...neighboured, blank: scored.map((s) => s === undefined) }, at) };
}
