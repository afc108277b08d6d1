/**
 * @module retrain/example-store
 * Accepted examples, durable: one JSON line per accepted request in DATA_DIR/examples.jsonl,
 * appended and fsynced before the caller hears 2xx. Appends go one at a time through a queue, so
 * the duplicate check and the write cannot interleave. A crash mid-append can leave only a torn last
 * line, which was never acknowledged; it is cut off when the store opens.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PagesiftError } from '../errors';
import type { LabelledPage } from '../types';
import type { ExampleBatch } from './examples';

export interface StoredBatch {
  /** 1-based position in the store: batch n was accepted before batch n + 1. */
  readonly seq: number;
  readonly key: string | null;
  readonly digest: string;
  readonly receivedAt: string;
  readonly pages: LabelledPage[];
}

export interface AddResult {
  /** false when this batch (same key or same content) was already stored. */
  readonly stored: boolean;
  readonly seq: number;
  readonly blocks: number;
}

export const EXAMPLES_FILE = 'examples.jsonl';

/** fsync a directory, so a file just created in it survives a crash. */
export function syncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** The file's whole lines; with `repair`, a torn last line (its write never finished) is cut off. */
function readWholeLines(file: string, repair: boolean): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const end = text.lastIndexOf('\n') + 1;
  if (repair && end < text.length) {
    fs.truncateSync(file, Buffer.byteLength(text.slice(0, end)));
    const fd = fs.openSync(file, 'r+');
    try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
  }
  return text.slice(0, end).split('\n').filter((l) => l !== '');
}

export class ExampleStore {
  readonly file: string;
  #batches = 0;
  #blocks = 0;
  #bytes = 0;
  readonly #digestByKey = new Map<string, string>();
  readonly #seqByDigest = new Map<string, { seq: number; blocks: number }>();
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(file: string) {
    this.file = file;
  }

  /** Opens (or creates) the store under `dataDir`, repairing a torn tail and indexing what is there. */
  static open(dataDir: string): ExampleStore {
    fs.mkdirSync(dataDir, { recursive: true });
    const store = new ExampleStore(path.join(dataDir, EXAMPLES_FILE));
    readWholeLines(store.file, true).forEach((line, i) => store.#index(ExampleStore.#parse(line, `${store.file}:${i + 1}`)));
    store.#bytes = fs.existsSync(store.file) ? fs.statSync(store.file).size : 0;
    return store;
  }

  static #parse(line: string, where: string): StoredBatch {
    try {
      const batch = JSON.parse(line) as StoredBatch;
      if (typeof batch.digest !== 'string' || !Array.isArray(batch.pages)) throw new Error('not an examples record');
      return batch;
    } catch (cause) {
      // Only the last line can be torn, and that one was cut off: anything else is damage to look at.
      throw new PagesiftError('training_data_invalid', `${where}: damaged examples record (${(cause as Error).message})`, { cause });
    }
  }

  #index(batch: StoredBatch): void {
    this.#batches = batch.seq;
    const blocks = batch.pages.reduce((n, p) => n + p.blocks.length, 0);
    this.#blocks += blocks;
    if (batch.key !== null) this.#digestByKey.set(batch.key, batch.digest);
    this.#seqByDigest.set(batch.digest, { seq: batch.seq, blocks });
  }

  get stats(): { batches: number; blocks: number } {
    return { batches: this.#batches, blocks: this.#blocks };
  }

  /**
   * Stores the batch unless its key or its content is already stored; resolves once it is on disk.
   * The same key with other content is a conflict: the caller reused a key by mistake.
   */
  add(batch: ExampleBatch, key: string | null, receivedAt: string): Promise<AddResult> {
    return this.#enqueue(() => this.#add(batch, key, receivedAt));
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(task);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #add(batch: ExampleBatch, key: string | null, receivedAt: string): Promise<AddResult> {
    if (key !== null && this.#digestByKey.has(key) && this.#digestByKey.get(key) !== batch.digest) {
      throw new PagesiftError('conflict', 'this Idempotency-Key was already used for other examples: use a new key for new content');
    }
    const earlier = this.#seqByDigest.get(batch.digest);
    if (earlier) return { stored: false, seq: earlier.seq, blocks: earlier.blocks };

    const record: StoredBatch = { seq: this.#batches + 1, key, digest: batch.digest, receivedAt, pages: batch.pages };
    const created = !fs.existsSync(this.file);
    const line = Buffer.from(`${JSON.stringify(record)}\n`);
    const handle = await fs.promises.open(this.file, 'a');
    try {
      await handle.write(line);
      await handle.sync();
    } catch (error) {
      // A half-written line (disk full, say) would be glued to the next one: take it back out.
      await handle.truncate(this.#bytes).catch(() => undefined);
      throw error;
    } finally {
      await handle.close();
    }
    this.#bytes += line.length;
    if (created) syncDir(path.dirname(this.file));
    this.#index(record);
    return { stored: true, seq: record.seq, blocks: batch.blocks };
  }

  /** Every stored batch, in order; queued behind appends, so it never reads half a line. */
  readAll(): Promise<StoredBatch[]> {
    return this.#enqueue(async () => readWholeLines(this.file, false).map((line, i) => ExampleStore.#parse(line, `${this.file}:${i + 1}`)));
  }
}
