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
}

export function compileModel(file: ModelFile): RuntimeModel {
  return { file, scoring: compileScoringModel(file), sequence: compileSequenceModel(file.sequence) };
}
