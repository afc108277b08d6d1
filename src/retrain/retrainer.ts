/**
 * @module retrain/retrainer
 * One retrain at a time, in the background: read the corpus and every accepted example, train in a
 * worker thread, save the new model as a version, and make it live unless the gate refuses it.
 * Making a model live is the caller's `setLive`: a swap in this process (requests in flight keep the
 * model they started with, http/model-holder.ts), or a message to every worker process (cluster.ts).
 */
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { PagesiftError } from '../errors';
import { compiledWorkerFile } from '../worker-file';
import type { Logger } from '../log';
import { readLabelledDir } from '../data/labelled-pages';
import type { GateResult, ModelFile } from '../model/model-file';
import { DEFAULT_TRAIN_OPTIONS } from '../model/train';
import type { ExampleStore } from './example-store';
import type { RetrainInput, RetrainOutput } from './gate';
import type { ModelVersions } from './model-versions';

export type JobState = 'running' | 'activated' | 'kept' | 'failed';

export interface RetrainJob {
  readonly id: string;
  state: JobState;
  readonly force: boolean;
  readonly startedAt: string;
  finishedAt?: string;
  readonly examples: { readonly batches: number; readonly blocks: number };
  version?: string;
  gate?: GateResult;
  /** Why the model was kept but not made live, or why the job failed. */
  reason?: string;
}

export type RetrainRunner = (input: RetrainInput) => Promise<RetrainOutput>;

export const workerRunner: RetrainRunner = (input) => new Promise((resolve, reject) => {
  const worker = new Worker(compiledWorkerFile('retrain', 'worker.js'), { workerData: input });
  worker.once('message', (message: { ok: true; output: RetrainOutput } | { ok: false; message: string }) => {
    if (message.ok) resolve(message.output);
    else reject(new Error(message.message));
  });
  worker.once('error', reject);
  worker.once('exit', (code) => reject(new Error(`the training worker exited with code ${code}`)));
});

export interface RetrainerOptions {
  readonly store: ExampleStore;
  readonly versions: ModelVersions;
  /** The model serving now (undefined while it loads). */
  readonly live: () => ModelFile | undefined;
  /** Makes a model live: swaps it in this process, or tells every worker process to load it. */
  readonly setLive: (file: ModelFile) => void;
  readonly trainingDataDir: string;
  /** Largest drop in held-out macro-F1 that still goes live. */
  readonly margin: number;
  readonly logger: Logger;
  readonly runner?: RetrainRunner;
  /** Told of every finished job (metrics count them by outcome). */
  readonly onFinished?: (job: RetrainJob) => void;
}

/** Finished jobs remembered for GET /v1/retrain/{id}. */
const JOBS_KEPT = 50;

export class Retrainer {
  readonly #o: RetrainerOptions;
  readonly #jobs = new Map<string, RetrainJob>();
  #running: RetrainJob | undefined;

  constructor(options: RetrainerOptions) {
    this.#o = options;
  }

  get(id: string): RetrainJob | undefined {
    return this.#jobs.get(id);
  }

  /** Starts a retrain and returns its job at once; a second one while it runs is a conflict. */
  start(force: boolean): { job: RetrainJob; done: Promise<void> } {
    if (this.#running) {
      throw new PagesiftError('conflict', `a retrain is already running (job ${this.#running.id})`, { details: { job: this.#running.id } });
    }
    const live = this.#o.live();
    if (!live) throw new PagesiftError('not_ready', 'the model is not loaded yet');
    const stats = this.#o.store.stats;
    const job: RetrainJob = { id: randomUUID(), state: 'running', force, startedAt: new Date().toISOString(), examples: stats };
    this.#running = job;
    this.#jobs.set(job.id, job);
    for (const id of this.#jobs.keys()) if (this.#jobs.size > JOBS_KEPT) this.#jobs.delete(id);
    const done = this.#run(job, live).finally(() => { this.#running = undefined; });
    return { job, done };
  }

  async #run(job: RetrainJob, live: ModelFile): Promise<void> {
    const log = this.#o.logger.child({ job: job.id });
    try {
      const batches = (await this.#o.store.readAll()).slice(0, job.examples.batches);
      const input: RetrainInput = {
        corpus: readLabelledDir(this.#o.trainingDataDir),
        batches,
        liveBatches: live.retrain?.exampleBatches ?? 0,
        options: DEFAULT_TRAIN_OPTIONS,
        trainedAt: new Date().toISOString(),
      };
      log.info({ batches: batches.length, force: job.force }, 'retrain started');
      const { model, gate } = await (this.#o.runner ?? workerRunner)(input);
      this.#o.versions.save(model);
      job.version = model.version;
      job.gate = gate;
      const drop = gate.liveMacroF1 - gate.candidateMacroF1;
      if (drop > this.#o.margin && !job.force) {
        job.state = 'kept';
        job.reason = `held-out macro-F1 would drop by ${drop.toFixed(4)} (${gate.liveMacroF1} -> ${gate.candidateMacroF1}), more than RETRAIN_MARGIN ${this.#o.margin}: saved, not activated; retrain with force to activate anyway`;
      } else {
        this.#o.versions.activate(model.version, live);
        this.#o.setLive(model);
        job.state = 'activated';
      }
      log.info({ version: model.version, state: job.state, gate }, 'retrain finished');
    } catch (error) {
      job.state = 'failed';
      job.reason = error instanceof Error ? error.message : String(error);
      log.error({ err: error }, 'retrain failed');
    } finally {
      job.finishedAt = new Date().toISOString();
      this.#o.onFinished?.(job);
    }
  }

  /** Makes the previous version live again; returns the model now live. */
  rollback(): ModelFile {
    if (this.#running) throw new PagesiftError('conflict', `a retrain is running (job ${this.#running.id}); roll back when it has finished`, { details: { job: this.#running.id } });
    // Load it first: a version that does not load leaves everything as it was.
    const file = this.#o.versions.read(this.#o.versions.rollbackTarget());
    this.#o.versions.rollback();
    this.#o.setLive(file);
    return file;
  }
}
