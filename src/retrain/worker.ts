/**
 * @module retrain/worker
 * Runs a retrain in a worker thread: training takes seconds of CPU, and the service must keep
 * answering meanwhile. Receives a RetrainInput, posts back a RetrainOutput or an error message.
 */
import '../natural';
import { parentPort, workerData } from 'node:worker_threads';
import { retrainWithGate, type RetrainInput } from './gate';

try {
  parentPort?.postMessage({ ok: true, output: retrainWithGate(workerData as RetrainInput) });
} catch (error) {
  parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
}
