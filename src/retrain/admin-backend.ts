/**
 * @module retrain/admin-backend
 * What the admin routes ask for, behind one interface: in a single process the routes call the
 * store, versions and retrainer directly (LocalAdminBackend); in a cluster, worker processes forward
 * each call to the primary process, which owns them (cluster.ts), so there is one writer of DATA_DIR.
 */
import { describeModel, type ModelDescription } from '../model/model-file';
import type { ExampleBatch } from './examples';
import type { AddResult, ExampleStore } from './example-store';
import type { ModelVersions, VersionInfo } from './model-versions';
import type { RetrainJob, Retrainer } from './retrainer';

export interface AddedExamples extends AddResult {
  readonly total: { readonly batches: number; readonly blocks: number };
}

export interface AdminBackend {
  addExamples(batch: ExampleBatch, key: string | null): Promise<AddedExamples>;
  startRetrain(force: boolean): Promise<RetrainJob>;
  job(id: string): Promise<RetrainJob | null>;
  versions(): Promise<VersionInfo[]>;
  rollback(): Promise<ModelDescription>;
}

export class LocalAdminBackend implements AdminBackend {
  constructor(private readonly store: ExampleStore, private readonly modelVersions: ModelVersions, private readonly retrainer: Retrainer) {}

  async addExamples(batch: ExampleBatch, key: string | null): Promise<AddedExamples> {
    const result = await this.store.add(batch, key, new Date().toISOString());
    return { ...result, total: this.store.stats };
  }

  async startRetrain(force: boolean): Promise<RetrainJob> {
    return { ...this.retrainer.start(force).job };
  }

  async job(id: string): Promise<RetrainJob | null> {
    const job = this.retrainer.get(id);
    return job ? { ...job } : null;
  }

  async versions(): Promise<VersionInfo[]> {
    return this.modelVersions.list();
  }

  async rollback(): Promise<ModelDescription> {
    return describeModel(this.retrainer.rollback());
  }
}
