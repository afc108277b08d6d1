/**
 * @module model/runtime-model
 * A validated model file compiled once into the tables scoring reads (logs precomputed).
 */
import type { ModelFile } from './model-file';
import { labelOfClass } from './classes';
import { compileScoringModel, type ScoringModel } from './score';
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
  const scoring = compileScoringModel(file);
  return {
    file: withPackedFeatures(file),
    scoring,
    sequence: compileSequenceModel(file.sequence, file.classes),
    logClassShare: Float64Array.from(file.classTotals, (t) => Math.log(t / blocks)),
    classLabel: Int32Array.from(file.classes, (c) => at.get(labelOfClass(c)) as number),
    page: file.page && { wall: compileScoringModel(file.page.wall), truncated: compileScoringModel(file.page.truncated) },
  };
}

/**
 * The model file as a running service keeps it. Its `features` record (natural's counts by feature
 * name) is most of a parsed file, 28 MB of heap for 169,815 features, and serving never reads it
 * once the scoring tables are compiled: only writing the file back does (a retrain saves the live
 * model as a version before it activates another one). So the record is rebuilt on demand, with
 * the same keys in the same order and the same counts, from the names and a packed copy of the
 * counts (7 MB): written back, the file has the same bytes and the same version. Each read of
 * `features` rebuilds it; nothing on a request's path reads it.
 */
export function withPackedFeatures(file: ModelFile): ModelFile {
  if (PACKED.has(file)) return file;
  // One read: on a packed file every read of `features` rebuilds the whole record.
  const features = file.features;
  const names = Object.keys(features);
  const c = file.classes.length;
  const counts = new Uint32Array(names.length * c);
  names.forEach((name, row) => counts.set(features[name] as number[], row * c));
  const packed = { ...file };
  Object.defineProperty(packed, 'features', { enumerable: true, get: unpacker(names, counts, c) });
  PACKED.add(packed);
  return packed;
}

/** Files already packed: packing one again would only rebuild and repack the same counts. */
const PACKED = new WeakSet<ModelFile>();

/** Built apart from withPackedFeatures so the getter's closure cannot hold on to the parsed file. */
function unpacker(names: readonly string[], counts: Uint32Array, c: number): () => Record<string, number[]> {
  return () => {
    const features: Record<string, number[]> = {};
    names.forEach((name, row) => { features[name] = Array.from(counts.subarray(row * c, row * c + c)); });
    return features;
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
