/**
 * @module model/runtime-model
 * A validated model file compiled once into the tables scoring reads (logs precomputed).
 */
import type { ModelFile } from './model-file';
import { compileScoringModel, type ScoringModel } from './score';
import { compileSequenceModel, type SequenceModel } from './sequence';

export interface RuntimeModel {
  readonly file: ModelFile;
  readonly scoring: ScoringModel;
  readonly sequence: SequenceModel;
  /** log of each label's share of the training blocks: divides the calibrated posterior into a likelihood. */
  readonly logLabelShare: Float64Array;
}

export function compileModel(file: ModelFile): RuntimeModel {
  const blocks = file.labels.reduce((n, l) => n + (file.examplesPerLabel[l] as number), 0);
  return {
    file,
    scoring: compileScoringModel(file),
    sequence: compileSequenceModel(file.sequence),
    logLabelShare: Float64Array.from(file.labels, (l) => Math.log(((file.examplesPerLabel[l] as number) + 1) / (blocks + file.labels.length))),
  };
}
