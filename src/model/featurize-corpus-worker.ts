/**
 * @module model/featurize-corpus-worker
 * The featurizing helper thread (started by model/featurize-corpus.ts): it featurizes the pages it
 * is given, posts their tokens as numbers, and says so through `control`.
 */
import { workerData } from 'node:worker_threads';
import { DONE, FAILED, STARTED, featurizePart, type FeaturizeJob } from './featurize-corpus';

const { pages, featurizer, port, control } = workerData as FeaturizeJob;
// Loaded: from here on the training thread waits for the answer, not for the thread to start.
Atomics.store(control, 0, STARTED);
Atomics.notify(control, 0);
try {
  const part = featurizePart(pages, featurizer);
  // Int32Array.from makes its own ArrayBuffers: handed over, not copied.
  port.postMessage(part, [part.ids.buffer as ArrayBuffer, part.lengths.buffer as ArrayBuffer]);
  Atomics.store(control, 0, DONE);
} catch {
  Atomics.store(control, 0, FAILED);
}
Atomics.notify(control, 0);
