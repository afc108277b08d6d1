/**
 * @module model/featurize-corpus-worker
 * The featurizing helper thread (started by model/featurize-corpus.ts): it featurizes the pages it
 * is given, posts their tokens as numbers, and says so through `control`.
 */
import { workerData } from 'node:worker_threads';
import { DONE, FAILED, featurizePart, type FeaturizeJob } from './featurize-corpus';

const { pages, featurizer, port, control } = workerData as FeaturizeJob;
try {
  const part = featurizePart(pages, featurizer);
  // Int32Array.from makes its own ArrayBuffers: handed over, not copied.
  port.postMessage(part, [part.ids.buffer as ArrayBuffer, part.lengths.buffer as ArrayBuffer]);
  Atomics.store(control, 0, DONE);
} catch {
  Atomics.store(control, 0, FAILED);
}
Atomics.notify(control, 0);
