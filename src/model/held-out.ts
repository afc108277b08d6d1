/**
 * @module model/held-out
 * natural's scores for held-out training pages, as natural trained on the other pages would give
 * them: the calibration learns from these (model/train.ts). Every count natural keeps is a sum over
 * documents (the documents of each class, and for each feature the documents of each class that
 * hold it), so the other pages' counts are the whole corpus's minus the held-out pages' own. Rather
 * than build that model for every fold (a copy of every feature's counts, a scoring table of every
 * feature, a 300,000-entry map), the corpus's counts are packed once in one flat array and every
 * block's features are looked up once, as row numbers; each fold copies the counts and takes away
 * its held-out pages' own. The scores are natural's trained on the rest to the last bit
 * (test/model/score-equivalence.test.ts).
 *
 * The folds are independent and read the same packed memory, so a helper thread scores half of
 * them (model/held-out-worker.ts): each fold is cut into two parts, and each thread takes the next
 * part not yet taken until none is left. A block's score does not depend on which thread computed it.
 */
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { NaiveBayesCounts } from './score';
import { compiledWorkerFile } from '../worker-file';

/** A page's blocks as natural sees them: each block's features (numbers into its corpus's) and class. */
export interface CountedPage {
  readonly ids: readonly Int32Array[];
  readonly classes: readonly string[];
}

/** Pages and the features their numbers stand for (model/featurize-corpus.ts). */
export interface CountedCorpus {
  readonly pages: readonly CountedPage[];
  readonly features: readonly string[];
}

/** The corpus's counts and every block's features as rows, in shared memory for the helper thread. */
export interface PackedCorpus {
  readonly classCount: number;
  readonly smoothing: number;
  /** The corpus's documents per class, with natural's starting 1. */
  readonly classTotals: Float64Array;
  /** Row r, class c at r * classCount + c: how many of the corpus's blocks of class c hold feature r. */
  readonly byRow: Float64Array;
  /** Block b's distinct feature rows, in token order, at rows[blockStart[b]] to rows[blockStart[b + 1]]. */
  readonly rows: Int32Array;
  readonly blockStart: Int32Array;
  /** Block b's class; -1 for a blank block, which natural never counted. */
  readonly blockClass: Int32Array;
  /** Page p's first block; blocks are numbered page by page, in corpus order. */
  readonly pageStart: Int32Array;
}

const shared = <T extends Float64Array | Int32Array>(make: new (buffer: SharedArrayBuffer) => T, bytesPer: number, length: number): T =>
  new make(new SharedArrayBuffer(Math.max(1, length) * bytesPer));

/**
 * Packs `counts` (natural's, over every feature of the corpus's pages) and the pages' blocks. Every
 * token of the pages must be a feature of `counts`: they are the pages it was trained on. Each
 * distinct feature is looked up once, not each of millions of tokens.
 */
export function packCorpus(counts: NaiveBayesCounts, corpus: CountedCorpus): PackedCorpus {
  const { pages } = corpus;
  const c = counts.classes.length;
  const names = Object.keys(counts.features);
  const featureRow = new Map<string, number>();
  const byRow = shared(Float64Array, 8, names.length * c);
  names.forEach((name, row) => {
    featureRow.set(name, row);
    (counts.features[name] as number[]).forEach((n, i) => { byRow[row * c + i] = n; });
  });
  const rowOf = Int32Array.from(corpus.features, (name) => featureRow.get(name) ?? -1);
  const classAt = new Map(counts.classes.map((name, i) => [name, i]));
  const blockCount = pages.reduce((n, p) => n + p.ids.length, 0);
  const tokenCount = pages.reduce((n, p) => p.ids.reduce((m, t) => m + t.length, n), 0);
  // Room for every token; a repeated token takes no row, so the rows are a prefix of this.
  const rows = shared(Int32Array, 4, tokenCount);
  const blockStart = shared(Int32Array, 4, blockCount + 1);
  const blockClass = shared(Int32Array, 4, blockCount);
  const pageStart = shared(Int32Array, 4, pages.length + 1);
  // The block that last held each row: a feature counts once per block, as natural counts it.
  const seenIn = new Int32Array(names.length).fill(-1);
  let b = 0;
  let at = 0;
  pages.forEach((page, p) => {
    pageStart[p] = b;
    page.ids.forEach((ids, i) => {
      blockStart[b] = at;
      blockClass[b] = ids.length > 0 ? (classAt.get(page.classes[i] as string) as number) : -1;
      for (const id of ids) {
        const row = rowOf[id] as number;
        if (seenIn[row] === b) continue;
        seenIn[row] = b;
        rows[at++] = row;
      }
      b++;
    });
  });
  blockStart[b] = at;
  pageStart[pages.length] = b;
  return {
    classCount: c,
    smoothing: counts.smoothing,
    classTotals: Float64Array.from(counts.classTotals),
    byRow,
    rows: rows.subarray(0, at),
    blockStart,
    blockClass,
    pageStart,
  };
}

/** What the folds are: for each fold, its held-out pages. */
export interface FoldJob {
  readonly packed: PackedCorpus;
  /** For each fold, the pages it holds out, in corpus order. */
  readonly folds: readonly Int32Array[];
  /** A feature held by fewer of the other pages' blocks than this is unknown (pruneRareFeatures). */
  readonly minBlocks: number;
  /** Per block, natural's log-likelihood of each class (block b, class c at b * classCount + c). */
  readonly logLikelihood: Float64Array;
  /** Per block, how many of its features the fold's model knows. */
  readonly knownFeatures: Int32Array;
  /** Slot NEXT: the next part to take; slot DONE: parts finished; slot FAILED: the helper failed. */
  readonly control: Int32Array;
  /** Per part: 0 not taken, 1 taken, 2 finished. */
  readonly parts: Int32Array;
}

export const NEXT = 0;
export const DONE = 1;
export const FAILED = 2;

/** Each fold in two parts, so that two threads finish at nearly the same time. */
const PARTS_PER_FOLD = 2;

/** The other pages' counts for a fold: the corpus's less its held-out pages' own. */
interface FoldCounts {
  readonly fold: number;
  readonly rest: Float64Array;
  readonly classTotals: Float64Array;
}

function foldCounts(job: FoldJob, fold: number): FoldCounts {
  const { byRow, classCount: c, rows, blockStart, blockClass, pageStart } = job.packed;
  // Counts are whole numbers, so subtracting here gives the very values a subtraction at each
  // lookup would. One flat copy, not a small array per row touched.
  const rest = byRow.slice();
  const classTotals = job.packed.classTotals.slice();
  for (const page of job.folds[fold] as Int32Array) {
    for (let b = pageStart[page] as number; b < (pageStart[page + 1] as number); b++) {
      const k = blockClass[b] as number;
      if (k < 0) continue;
      classTotals[k] = (classTotals[k] as number) - 1;
      for (let t = blockStart[b] as number; t < (blockStart[b + 1] as number); t++) {
        const at = (rows[t] as number) * c + k;
        rest[at] = (rest[at] as number) - 1;
      }
    }
  }
  return { fold, rest, classTotals };
}

/**
 * Scores one part of a fold's held-out blocks (its pages by turns) into the job's outputs: natural's
 * per-class log-likelihoods from the other pages' counts, over the features those pages hold in at
 * least `minBlocks` blocks. The same sums, in the same order, as compileScoringModel and
 * scoreFeatures on those counts.
 */
function scorePart(job: FoldJob, counts: FoldCounts, part: number): void {
  const { classCount: c, rows, blockStart, blockClass, pageStart, smoothing } = job.packed;
  const { rest, classTotals } = counts;
  const least = Math.max(job.minBlocks, 1);
  const pages = job.folds[counts.fold] as Int32Array;
  for (let p = part; p < pages.length; p += PARTS_PER_FOLD) {
    const page = pages[p] as number;
    for (let b = pageStart[page] as number; b < (pageStart[page + 1] as number); b++) {
      if ((blockClass[b] as number) < 0) continue;
      const out = b * c;
      let known = 0;
      for (let t = blockStart[b] as number; t < (blockStart[b + 1] as number); t++) {
        const at = (rows[t] as number) * c;
        let total = 0;
        for (let i = 0; i < c; i++) total += rest[at + i] as number;
        if (total < least) continue;
        known++;
        for (let i = 0; i < c; i++) {
          job.logLikelihood[out + i] = (job.logLikelihood[out + i] as number) + Math.log(((rest[at + i] as number) + smoothing) / (classTotals[i] as number));
        }
      }
      job.knownFeatures[b] = known;
    }
  }
}

/** Takes parts until none is left; the counts of the last fold are kept for its next part. */
export function runParts(job: FoldJob): void {
  const total = job.folds.length * PARTS_PER_FOLD;
  let counts: FoldCounts | undefined;
  for (;;) {
    const part = Atomics.add(job.control, NEXT, 1);
    if (part >= total) return;
    Atomics.store(job.parts, part, 1);
    const fold = Math.floor(part / PARTS_PER_FOLD);
    if (counts?.fold !== fold) counts = foldCounts(job, fold);
    scorePart(job, counts, part % PARTS_PER_FOLD);
    Atomics.store(job.parts, part, 2);
    Atomics.add(job.control, DONE, 1);
    Atomics.notify(job.control, DONE);
  }
}

/** Rows looked up from which a helper thread pays: a training run's folds look up millions. */
const PARALLEL_MIN_ROWS = 500_000;
/** A part takes well under a second: a helper this late has stopped. */
const PART_TIMEOUT_MS = 120_000;

export interface HeldOutScores {
  /** Block b, class c at b * classCount + c (blocks numbered as in PackedCorpus). */
  readonly logLikelihood: Float64Array;
  readonly knownFeatures: Int32Array;
}

/**
 * natural's scores for every block of every fold's held-out pages, from the counts of all the other
 * pages. Blocks of pages in no fold, and blank blocks, score 0. `parallel`: whether a helper thread
 * takes parts too (the same scores either way); default: for large corpora.
 */
export function heldOutScores(packed: PackedCorpus, folds: readonly Int32Array[], minBlocks: number, parallel?: boolean): HeldOutScores {
  const blocks = packed.blockClass.length;
  const job: FoldJob = {
    packed,
    folds: folds.map((f) => { const s = shared(Int32Array, 4, f.length); s.set(f); return s.subarray(0, f.length); }),
    minBlocks,
    logLikelihood: shared(Float64Array, 8, blocks * packed.classCount),
    knownFeatures: shared(Int32Array, 4, blocks),
    control: shared(Int32Array, 4, 3),
    parts: shared(Int32Array, 4, folds.length * PARTS_PER_FOLD),
  };
  const helper = (parallel ?? packed.rows.length >= PARALLEL_MIN_ROWS) ? startHelper(job) : undefined;
  runParts(job);
  if (helper) {
    // Wait for the parts the helper took. If it failed, the parts it left unfinished are done here.
    for (;;) {
      const done = Atomics.load(job.control, DONE);
      if (done >= job.parts.length) break;
      if (Atomics.load(job.control, FAILED) === 1) {
        redoUnfinished(job);
        break;
      }
      if (Atomics.wait(job.control, DONE, done, PART_TIMEOUT_MS) === 'timed-out') {
        throw new Error('the held-out scoring\'s helper thread stopped answering');
      }
    }
  }
  return { logLikelihood: job.logLikelihood, knownFeatures: job.knownFeatures };
}

/** After the helper failed: clears and scores again every part it left unfinished. */
function redoUnfinished(job: FoldJob): void {
  const c = job.packed.classCount;
  const { pageStart } = job.packed;
  job.parts.forEach((state, part) => {
    if (state === 2) return;
    const fold = Math.floor(part / PARTS_PER_FOLD);
    const pages = job.folds[fold] as Int32Array;
    for (let p = part % PARTS_PER_FOLD; p < pages.length; p += PARTS_PER_FOLD) {
      const page = pages[p] as number;
      job.logLikelihood.fill(0, (pageStart[page] as number) * c, (pageStart[page + 1] as number) * c);
    }
    scorePart(job, foldCounts(job, fold), part % PARTS_PER_FOLD);
    job.parts[part] = 2;
  });
}

/** A helper thread taking parts of `job`; undefined if none could start (the parts are then all done here). */
function startHelper(job: FoldJob): Worker | undefined {
  const file = compiledWorkerFile('model', 'held-out-worker.js');
  if (!fs.existsSync(file)) return undefined;
  try {
    const worker = new Worker(file, { workerData: job });
    // It must never keep the process alive; a failure is seen through job.control.
    worker.unref();
    worker.on('error', () => {});
    return worker;
  } catch {
    return undefined;
  }
}
