/**
 * @module model/runtime-model
 * A validated model file compiled once into the tables scoring reads (logs precomputed).
 */
import type { ModelFile } from './model-file';
import { labelOfClass } from './classes';
import { compileScoringModel, type ScoringModel } from './score';
import { withPackedFeatures } from './feature-counts';
import { compileSequenceModel, type SequenceModel } from './sequence';
import type { PageVerdictScoring } from './page-verdict';

export interface RuntimeModel {
  readonly file: ModelFile;
  readonly scoring: ScoringModel;
  readonly sequence: SequenceModel;
  /** log of each class's share of the training blocks: divides the calibrated posterior into a likelihood. */
  readonly logClassShare: Float64Array;
  /** The label index of each class. */
  readonly classLabel: Int32Array;
  /** The page verdict's two models; null when the model file has none. */
  readonly page: PageVerdictScoring | null;
}

export function compileModel(file: ModelFile): RuntimeModel {
  // natural's classTotals are blocks + 1 per class: the +1 keeps an empty class's share above 0.
  const blocks = file.classTotals.reduce((n, t) => n + t, 0);
  const at = new Map(file.labels.map((l, i) => [l, i]));
  // Packed first, so that the scorer and the live file share one copy of the counts.
  const packed = withPackedFeatures(file);
  const scoring = compileScoringModel(packed);
  return {
    file: packed,
    scoring,
    sequence: compileSequenceModel(file.sequence, file.classes),
    logClassShare: Float64Array.from(file.classTotals, (t) => Math.log(t / blocks)),
    classLabel: Int32Array.from(file.classes, (c) => at.get(labelOfClass(c)) as number),
    page: file.page && { wall: compileScoringModel(file.page.wall), truncated: compileScoringModel(file.page.truncated) },
  };
}

/** A probability per class summed into a probability per label. */
export function labelProbabilities(model: RuntimeModel, perClass: Float64Array): Float64Array {
  const perLabel = new Float64Array(model.file.labels.length);
  perClass.forEach((p, c) => {
    const l = model.classLabel[c] as number;
    perLabel[l] = (perLabel[l] as number) + p;
  });
  return perLabel;
}
