/**
 * @module model/fit-worker
 * The softmax fit's helper thread (started by model/fit-helper.ts): at every step of the fit it adds
 * the gradient of the second half of the rows while the fitting thread adds the first. Everything
 * it reads and writes is shared memory; the two threads take turns through `control`.
 */
import { workerData } from 'node:worker_threads';
import { addGradient, gradientLoop } from './gradient';
import { COMMAND, DONE, FAILED, READY, STATE, type HelperData } from './fit-helper';

const { task, params, grad, control, from, to, memory, scratch } = workerData as HelperData;
// The compiled loop on the fit's memory, as the fitting thread runs it; else the JavaScript one.
const loop = memory && scratch ? gradientLoop(memory, scratch) : addGradient;
Atomics.store(control, STATE, READY);
Atomics.notify(control, STATE);
let seen = 0;
try {
  for (;;) {
    Atomics.wait(control, COMMAND, seen);
    const step = Atomics.load(control, COMMAND);
    if (step < 0) break;
    seen = step;
    grad.fill(0);
    loop(task, params, grad, from, to);
    Atomics.store(control, DONE, step);
    Atomics.notify(control, DONE);
  }
} catch {
  Atomics.store(control, STATE, FAILED);
  Atomics.notify(control, DONE);
}
