/**
 * @module model/fit-helper
 * A second thread for the softmax fit (model/softmax.ts). The two fits of a training run
 * (calibration and neighbour pass) are most of its time, each step a gradient over every row: with
 * two cores, a helper thread adds half the rows' gradient while the fitting thread adds the other
 * half. The fit stays synchronous (training is one call), so the threads meet through shared memory
 * and Atomics.wait rather than messages. The fit adds the two halves the same way whether or not a
 * helper ran, so a model does not depend on it.
 */
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { GradientTask } from './gradient';
import { compiledWorkerFile } from '../worker-file';

/** Slots of the control array: the step to run (-1: stop), the step finished, the helper's state. */
export const COMMAND = 0;
export const DONE = 1;
export const STATE = 2;
export const READY = 1;
export const FAILED = 2;

/** Long enough for a thread to start on a loaded machine; if it does not, the fit runs alone. */
const START_TIMEOUT_MS = 10_000;
/** A step of half the rows takes milliseconds: a helper this late has stopped. */
const STEP_TIMEOUT_MS = 120_000;

/**
 * Where the helper adds its gradient, and what it runs the compiled loop on (model/gradient.ts): the
 * fit's memory and its own scratch there. Without `memory`, it runs the JavaScript loop.
 */
export interface HelperArrays {
  readonly grad: Float64Array;
  readonly memory?: WebAssembly.Memory;
  readonly scratch?: Float64Array;
}

/** What the helper thread is given: shared memory all of it. */
export interface HelperData extends HelperArrays {
  readonly task: GradientTask;
  readonly params: Float64Array;
  readonly control: Int32Array;
  readonly from: number;
  readonly to: number;
}

export interface FitHelper {
  /** Where the helper leaves each step's gradient of its rows. */
  readonly grad: Float64Array;
  /** Starts a step (the weights in `params` are the step's). */
  start(step: number): void;
  /** Waits until the helper has finished the step. */
  wait(step: number): void;
  stop(): void;
}

/**
 * A helper thread that adds the gradient of rows [from, to) into `arrays.grad` (by default a new
 * shared array); undefined if none could start (no compiled worker, or no thread in time), and the
 * fit adds those rows itself.
 */
export function startFitHelper(
  task: GradientTask,
  params: Float64Array,
  from: number,
  to: number,
  arrays: HelperArrays = { grad: new Float64Array(new SharedArrayBuffer(params.byteLength)) },
): FitHelper | undefined {
  const file = compiledWorkerFile('model', 'fit-worker.js');
  if (!fs.existsSync(file)) return undefined;
  const control = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  const { grad } = arrays;
  const data: HelperData = { task, params, control, from, to, ...arrays };
  let worker: Worker;
  try {
    worker = new Worker(file, { workerData: data });
  } catch {
    // No thread to be had (a resource limit, say): the fit adds every row itself, to the same result.
    return undefined;
  }
  // The thread must never keep the process alive, nor go unnoticed if it fails to start.
  worker.unref();
  worker.on('error', () => {});
  const stop = (): void => {
    Atomics.store(control, COMMAND, -1);
    Atomics.notify(control, COMMAND);
  };
  Atomics.wait(control, STATE, 0, START_TIMEOUT_MS);
  if (Atomics.load(control, STATE) !== READY) {
    stop();
    void worker.terminate();
    return undefined;
  }
  return {
    grad,
    start(step) {
      Atomics.store(control, COMMAND, step);
      Atomics.notify(control, COMMAND);
    },
    wait(step) {
      for (;;) {
        const done = Atomics.load(control, DONE);
        if (done === step) return;
        if (Atomics.load(control, STATE) === FAILED) throw new Error('the softmax fit\'s helper thread failed');
        if (Atomics.wait(control, DONE, done, STEP_TIMEOUT_MS) === 'timed-out') {
          stop();
          throw new Error('the softmax fit\'s helper thread stopped answering');
        }
      }
    },
    stop,
  };
}
