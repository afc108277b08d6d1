/**
 * @module cluster
 * WORKERS > 1: a primary process forks the workers, which share the port and each serve the same
 * model. The primary owns DATA_DIR: it stores examples, runs retrains and rollbacks, and tells
 * every worker which version is live. Workers forward admin calls to it over the IPC channel, so
 * there is one writer of the example log and one retrain at a time, whichever worker took the request.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Config } from './config';
import { PagesiftError, type ErrorCode } from './errors';
import type { Logger } from './log';
import { ModelHolder } from './http/model-holder';
import type { AdminOptions } from './http/routes/admin';
import { compileModel } from './model/runtime-model';
import { withPackedFeatures } from './model/feature-counts';
import { collectGarbageSoon } from './heap';
import { LocalAdminBackend, type AdminBackend } from './retrain/admin-backend';
import { ExampleStore } from './retrain/example-store';
import { ModelVersions } from './retrain/model-versions';
import { Retrainer } from './retrain/retrainer';
import { exampleLimits, onStopSignal, serve, startupFailure, startupModel } from './serve';
import { AggregatorRegistry, Registry } from 'prom-client';
import { createMetrics, retrainCounter } from './http/metrics';

/** Messages between the primary and its workers. */
type Message =
  | { type: 'pagesift:admin'; id: number; method: keyof AdminBackend | 'metrics'; args: unknown[] }
  | { type: 'pagesift:admin-reply'; id: number; result?: unknown; error?: { code: ErrorCode; message: string; details?: Record<string, unknown> } }
  | { type: 'pagesift:live'; version: string };

const DRAIN_TIMEOUT_MS = 12_000;

export function runPrimary(config: Config, logger: Logger): void {
  const versions = new ModelVersions(config.dataDir, config.modelKeep);
  // Every worker's metrics, added up on request; plus what only the primary sees (retrains).
  const aggregator = new AggregatorRegistry();
  const ownMetrics = new Registry();
  const retrains = retrainCounter(ownMetrics);
  let startupVersion = '';
  let backend: AdminBackend | undefined;
  const workers = new Set<Worker>();
  try {
    versions.sweep();
    const startup = startupModel(config, versions).file; // a model that does not load stops everything here
    startupVersion = startup.version;
    if (config.adminToken !== undefined) {
      // The primary never scores: it keeps the live file only to save it when a retrain activates
      // another version, so it keeps it with its counts packed (model/feature-counts.ts). Without
      // retraining it keeps nothing: an idle primary held 146 to 160 MB with it, 119 to 123 MB without.
      let live = withPackedFeatures(startup);
      const store = ExampleStore.open(config.dataDir);
      const retrainer = new Retrainer({
        store, versions, trainingDataDir: config.trainingDataDir, margin: config.retrainMargin, logger,
        live: () => live,
        setLive: (file) => {
          live = withPackedFeatures(file);
          collectGarbageSoon();
          // Every worker loads the version from DATA_DIR, where activate/rollback has just put it.
          for (const worker of workers) worker.send({ type: 'pagesift:live', version: file.version } satisfies Message);
        },
        onFinished: (job) => retrains.inc({ outcome: job.state }),
      });
      backend = new LocalAdminBackend(store, versions, retrainer);
    }
    collectGarbageSoon();
  } catch (error) {
    startupFailure(error, logger);
  }

  cluster.on('message', (worker, message: Message) => {
    if (message?.type !== 'pagesift:admin') return;
    const reply = (body: Omit<Extract<Message, { type: 'pagesift:admin-reply' }>, 'type' | 'id'>): void => {
      if (worker.isConnected()) worker.send({ type: 'pagesift:admin-reply', id: message.id, ...body } satisfies Message);
    };
    let run: () => Promise<unknown>;
    if (message.method === 'metrics') {
      run = async () => `${await aggregator.clusterMetrics()}\n${await ownMetrics.metrics()}`;
    } else if (!backend) {
      reply({ error: { code: 'retraining_disabled', message: 'retraining disabled' } });
      return;
    } else {
      const call = backend[message.method] as (...args: unknown[]) => Promise<unknown>;
      run = () => call.apply(backend, message.args);
    }
    Promise.resolve()
      .then(run)
      .then((result) => reply({ result }), (error: unknown) => {
        if (error instanceof PagesiftError) reply({ error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } });
        else {
          logger.error({ err: error }, 'admin call failed');
          reply({ error: { code: 'internal', message: 'internal error' } });
        }
      });
  });

  let stopping = false;
  const fork = (): void => {
    const worker = cluster.fork();
    workers.add(worker);
  };
  cluster.on('exit', (worker, code, signal) => {
    workers.delete(worker);
    if (stopping) {
      if (workers.size === 0) {
        logger.info('stopped');
        process.exit(0);
      }
      return;
    }
    // A worker that died is replaced; it loads the live version from DATA_DIR like any other.
    logger.error({ pid: worker.process.pid, code, signal }, 'worker exited; starting another');
    fork();
  });
  onStopSignal(logger, DRAIN_TIMEOUT_MS, 'workers still running after the drain timeout; exiting', (signal) => {
    stopping = true;
    logger.info({ signal, workers: workers.size }, 'stopping: workers finish their requests in flight');
    for (const worker of workers) worker.process.kill('SIGTERM');
  });
  logger.info({ workers: config.workers, model: startupVersion }, 'primary started');
  for (let i = 0; i < config.workers; i++) fork();
}

/** A worker's calls to the primary over the IPC channel, each answered by id. */
class PrimaryCalls {
  #next = 0;
  readonly #pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();

  constructor() {
    process.on('message', (message: Message) => {
      if (message?.type !== 'pagesift:admin-reply') return;
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      if (message.error) pending.reject(new PagesiftError(message.error.code, message.error.message, message.error.details ? { details: message.error.details } : {}));
      else pending.resolve(message.result);
    });
  }

  call<T>(method: keyof AdminBackend | 'metrics', args: unknown[]): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const id = this.#next++;
      this.#pending.set(id, { resolve, reject });
      (process.send as (m: Message) => void)({ type: 'pagesift:admin', id, method, args });
    });
  }
}

/** A worker's admin calls, answered by the primary. */
class IpcAdminBackend implements AdminBackend {
  constructor(private readonly primary: PrimaryCalls) {}

  #call<T>(method: keyof AdminBackend, args: unknown[]): Promise<T> {
    return this.primary.call<T>(method, args);
  }

  addExamples: AdminBackend['addExamples'] = (batch, key) => this.#call('addExamples', [batch, key]);
  startRetrain: AdminBackend['startRetrain'] = (force) => this.#call('startRetrain', [force]);
  job: AdminBackend['job'] = (id) => this.#call('job', [id]);
  versions: AdminBackend['versions'] = () => this.#call('versions', []);
  rollback: AdminBackend['rollback'] = () => this.#call('rollback', []);
}

export function runWorker(config: Config, logger: Logger): void {
  const models = new ModelHolder();
  const versions = new ModelVersions(config.dataDir, config.modelKeep);
  const primary = new PrimaryCalls();
  const admin: AdminOptions | undefined = config.adminToken === undefined
    ? undefined
    : { adminToken: config.adminToken, limits: exampleLimits(config), backend: new IpcAdminBackend(primary) };
  const metrics = config.metricsEnabled ? createMetrics(models) : undefined;
  if (metrics) {
    // prom-client answers the primary's aggregation requests from this worker's registry; its
    // listener is installed by constructing an AggregatorRegistry, in the worker too.
    AggregatorRegistry.setRegistries([metrics.registry]);
    new AggregatorRegistry();
  }
  process.on('message', (message: Message) => {
    if (message?.type !== 'pagesift:live') return;
    try {
      models.set(compileModel(versions.read(message.version)));
      logger.info({ model: message.version }, 'model swapped');
    } catch (error) {
      logger.error({ err: error, model: message.version }, 'cannot load the new live model; keeping the current one');
    }
  });
  // Without its primary a worker would serve on with nobody to answer its admin calls.
  process.on('disconnect', () => process.exit(1));
  serve(config, logger, models, versions, admin, metrics ? { metrics, exposition: () => primary.call<string>('metrics', []) } : undefined);
}
