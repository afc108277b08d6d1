/**
 * @module model/held-out-worker
 * The held-out scoring's helper thread (started by model/held-out.ts): it takes parts of the folds
 * beside the training thread until none is left. Everything it reads and writes is shared memory.
 */
import { workerData } from 'node:worker_threads';
import { DONE, FAILED, runParts, type FoldJob } from './held-out';

const job = workerData as FoldJob;
try {
  runParts(job);
} catch {
  // The training thread scores again whatever this thread left unfinished.
  Atomics.store(job.control, FAILED, 1);
  Atomics.notify(job.control, DONE);
}
