/**
 * @module model/feature-counts
 * natural's counts by feature, packed: each feature's row, in file order, and one Uint32Array of
 * counts, a row of one count per class for each feature.
 *
 * A parsed model file keeps its counts as a record of small arrays (for 344,442 features and ten
 * classes, tens of MB of heap); packed, they take 4 bytes a count (14 MB). A compiled model scores
 * from the packed counts (model/score.ts), and the live model file shares them: the record is
 * rebuilt only when the file is written back.
 */
import type { ModelFile } from './model-file';

export interface PackedCounts {
  /** Each feature's row, in the file's order: the scorer's lookup and the order to write back in. */
  readonly rows: ReadonlyMap<string, number>;
  /** rows.size rows of classes.length counts, row by row. */
  readonly counts: Uint32Array;
}

type WithFeatures = Pick<ModelFile, 'classes' | 'features'>;

/** Packed counts of files (and page models) already packed, so that they are never packed twice. */
const PACKED = new WeakMap<object, PackedCounts>();

/** The model's counts, packed: the same arrays each time for a file from withPackedFeatures. */
export function packedCounts(model: WithFeatures): PackedCounts {
  const known = PACKED.get(model);
  if (known) return known;
  // One read: on a packed file every read of `features` rebuilds the whole record.
  const features = model.features;
  const c = model.classes.length;
  const rows = new Map<string, number>();
  // Keys, not Object.entries: a pair per feature is garbage the size of the vocabulary at load.
  for (const name of Object.keys(features)) rows.set(name, rows.size);
  const counts = new Uint32Array(rows.size * c);
  for (const [name, row] of rows) counts.set(features[name] as number[], row * c);
  return { rows, counts };
}

/**
 * The model file as a running service keeps it. Serving never reads its `features` record once the
 * scoring tables are compiled: only writing the file back does (a retrain saves the live model as a
 * version before it activates another one). So the record is rebuilt on demand, with the same keys
 * in the same order and the same counts, from the packed counts: written back, the file has the
 * same bytes and the same version. Each read of `features` rebuilds it; nothing on a request's path
 * reads it.
 */
export function withPackedFeatures(file: ModelFile): ModelFile {
  if (PACKED.has(file)) return file;
  const packed = packedCounts(file);
  const out = { ...file };
  Object.defineProperty(out, 'features', { enumerable: true, get: unpacker(packed, file.classes.length) });
  PACKED.set(out, packed);
  return out;
}

/** Built apart from withPackedFeatures so the getter's closure cannot hold on to the parsed file. */
function unpacker({ rows, counts }: PackedCounts, c: number): () => Record<string, number[]> {
  return () => {
    const features: Record<string, number[]> = {};
    for (const [name, row] of rows) features[name] = Array.from(counts.subarray(row * c, row * c + c));
    return features;
  };
}
