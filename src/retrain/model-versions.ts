/**
 * @module retrain/model-versions
 * Retrained models on disk, beside the examples: DATA_DIR/models/<version>.json, and live.json,
 * which names the live version and the ones before it (for rollback). Every file is written whole
 * (temp file, fsync, rename, directory fsync) and a model file always lands before the pointer that
 * names it, so a crash at any moment leaves a pointer to a complete model, or the pointer before.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PagesiftError } from '../errors';
import { serializeModel, type ModelFile } from '../model/model-file';
import { readModel, writeFileAtomic } from '../model/store';

interface Pointer {
  readonly live: string;
  /** Earlier live versions, newest first. */
  readonly previous: string[];
}

export interface VersionInfo {
  readonly version: string;
  readonly trainedAt: string;
  readonly live: boolean;
  readonly labels: string[];
}

const VERSION = /^[0-9a-f]{16}$/;

export class ModelVersions {
  readonly dir: string;
  readonly #keep: number;

  constructor(dataDir: string, keep: number) {
    this.dir = path.join(dataDir, 'models');
    this.#keep = keep;
  }

  /** Removes temp files a crash left mid-write (their model or pointer never replaced anything). */
  sweep(): void {
    let names: string[] = [];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return;
    }
    for (const name of names) if (name.endsWith('.tmp')) fs.rmSync(path.join(this.dir, name), { force: true });
  }

  get #pointerFile(): string {
    return path.join(this.dir, 'live.json');
  }

  #file(version: string): string {
    if (!VERSION.test(version)) throw new PagesiftError('invalid_field', `${JSON.stringify(version)} is not a model version`, { details: { field: 'version' } });
    return path.join(this.dir, `${version}.json`);
  }

  #pointer(): Pointer | undefined {
    let text: string;
    try {
      text = fs.readFileSync(this.#pointerFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const raw = JSON.parse(text) as Pointer;
    if (typeof raw.live !== 'string' || !VERSION.test(raw.live) || !Array.isArray(raw.previous)) {
      throw new PagesiftError('model_invalid', `${this.#pointerFile} is damaged: expected {"live": version, "previous": [...]}`);
    }
    return raw;
  }

  /** The live retrained model, or undefined when nothing was ever activated (the shipped model serves). */
  live(): ModelFile | undefined {
    const pointer = this.#pointer();
    return pointer ? readModel(this.#file(pointer.live)) : undefined;
  }

  has(version: string): boolean {
    return fs.existsSync(this.#file(version));
  }

  read(version: string): ModelFile {
    if (!this.has(version)) throw new PagesiftError('not_found', `no model version ${version}`);
    return readModel(this.#file(version));
  }

  /** Writes the model as a version of its own (a no-op when that version is already there). */
  save(model: ModelFile): void {
    fs.mkdirSync(this.dir, { recursive: true });
    if (!this.has(model.version)) writeFileAtomic(this.#file(model.version), serializeModel(model));
  }

  /**
   * Makes `version` live. `current` is the model serving now: it is saved too, so a rollback can
   * return to it even when it is the shipped model.
   */
  activate(version: string, current: ModelFile): void {
    this.save(current);
    if (!this.has(version)) throw new PagesiftError('not_found', `no model version ${version}`);
    const pointer = this.#pointer();
    const previous = current.version === version ? (pointer?.previous ?? []) : [current.version, ...(pointer?.previous ?? []).filter((v) => v !== current.version && v !== version)];
    this.#write({ live: version, previous: previous.slice(0, this.#keep) });
  }

  /** The version a rollback returns to. */
  rollbackTarget(): string {
    const back = this.#pointer()?.previous[0];
    if (back === undefined) throw new PagesiftError('conflict', 'there is no earlier model version to roll back to');
    return back;
  }

  /** Returns to the version that was live before this one; returns it. */
  rollback(): string {
    const back = this.rollbackTarget();
    this.#write({ live: back, previous: (this.#pointer() as Pointer).previous.slice(1) });
    return back;
  }

  #write(pointer: Pointer): void {
    writeFileAtomic(this.#pointerFile, `${JSON.stringify(pointer)}\n`);
    this.#prune(pointer);
  }

  /** Every version on disk, newest first. */
  list(): VersionInfo[] {
    const live = this.#pointer()?.live;
    let names: string[] = [];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return [];
    }
    return names
      .filter((n) => VERSION.test(n.replace(/\.json$/, '')) && n.endsWith('.json'))
      .map((n) => {
        const model = readModel(path.join(this.dir, n));
        return { version: model.version, trainedAt: model.trainedAt, live: model.version === live, labels: model.labels };
      })
      .sort((a, b) => (a.trainedAt < b.trainedAt ? 1 : a.trainedAt > b.trainedAt ? -1 : 0));
  }

  /** Keeps the live version, the rollback chain and the newest others, up to MODEL_KEEP besides the live one. */
  #prune(pointer: Pointer): void {
    const keep = new Set([pointer.live, ...pointer.previous]);
    for (const { version } of this.list()) {
      if (keep.size > this.#keep && !keep.has(version)) fs.rmSync(this.#file(version), { force: true });
      else keep.add(version);
    }
  }
}
