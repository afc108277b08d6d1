/**
 * @module model/featurize-corpus
 * Feature tokens of every block of a training corpus, on two threads. Featurizing is the largest
 * step of a training run that ran on one core (5 s of some 25 s on 1,615 pages): pages are
 * independent, so a helper thread featurizes the last part of the corpus while the training thread
 * featurizes the first. Training is one synchronous call, so the helper's answer is taken with
 * Atomics.wait and receiveMessageOnPort rather than an event.
 *
 * The helper sends each distinct token once and every token as a number: a corpus holds millions of
 * tokens but a few hundred thousand distinct ones, and the numbers travel in one transferred array.
 * Every token is then numbered in the corpus's `features`, in the order first seen, whichever thread
 * featurized it.
 * The tokens are the strings featurizePage gives either way, in the same order, so the model does not
 * depend on whether the helper ran (test/model/featurize-corpus.test.ts).
 */
import fs from 'node:fs';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { featurizePage, type FeaturizerOptions } from '../features/featurize';
import { normalizeBlocks } from '../text/segment';
import type { LabelledPage } from '../types';
import { compiledWorkerFile } from '../worker-file';

export interface FeaturizedPage {
  readonly tokens: string[][];
  /** Each block's tokens as indexes into its corpus's `features`. */
  readonly ids: Int32Array[];
  /** The class natural learns for each block (model/classes.ts). */
  readonly classes: string[];
  /** Characters of each block's trimmed text. */
  readonly chars: number[];
}

export interface FeaturizedCorpus {
  readonly pages: FeaturizedPage[];
  /**
   * Every distinct token, in the order first seen (page by page, block by block): the order natural
   * gives its features when it is taught the blocks in that order (model/train.ts, trainSparse).
   */
  readonly features: string[];
}

/** What the helper is given: its pages' block texts, and where to answer. */
export interface FeaturizeJob {
  readonly pages: readonly (readonly string[])[];
  readonly featurizer: FeaturizerOptions;
  readonly port: MessagePort;
  /** Slot 0: 0 until the helper runs, then STARTED, then DONE once the answer is on the port, or FAILED. */
  readonly control: Int32Array;
}

/** The helper's answer: its pages' tokens as numbers into `distinct`. */
export interface FeaturizedPart {
  readonly distinct: string[];
  /** Every token of every block, block after block, page after page. */
  readonly ids: Int32Array;
  /** Tokens in each block, block after block. */
  readonly lengths: Int32Array;
}

export const DONE = 1;
export const FAILED = 2;
export const STARTED = 3;

/** Blocks from which a helper pays: starting a thread costs about as much as featurizing 5,000. */
const PARALLEL_MIN_BLOCKS = 20_000;
/**
 * The helper's share of the blocks: less than half, since it starts some 100 ms behind (loading its
 * modules) and its tokens must still be made strings here.
 */
const HELPER_SHARE = 0.45;
/**
 * A thread starts in some 100 ms. One that has not started when its answer is wanted may never: a
 * worker whose module fails to load reports it through an `error` event, which cannot run while
 * this thread is blocked in Atomics.wait, so without this limit training would wait out
 * HELPER_TIMEOUT_MS before featurizing the helper's pages itself.
 */
const START_TIMEOUT_MS = 5_000;
/** Featurizing a whole corpus takes seconds: a helper this late has stopped. */
const HELPER_TIMEOUT_MS = 120_000;

const textsOf = (page: LabelledPage): string[] => page.blocks.map((b) => b.text);

/** Tokens of one page's blocks. */
export const featurizeTexts = (texts: readonly string[], featurizer: FeaturizerOptions): string[][] =>
  featurizePage(normalizeBlocks(texts), featurizer);

/** The helper's side: featurizes `pages` and numbers their tokens. */
export function featurizePart(pages: readonly (readonly string[])[], featurizer: FeaturizerOptions): FeaturizedPart {
  const number = new Map<string, number>();
  const distinct: string[] = [];
  const ids: number[] = [];
  const lengths: number[] = [];
  for (const texts of pages) {
    for (const tokens of featurizeTexts(texts, featurizer)) {
      lengths.push(tokens.length);
      for (const token of tokens) {
        let id = number.get(token);
        if (id === undefined) {
          id = distinct.length;
          number.set(token, id);
          distinct.push(token);
        }
        ids.push(id);
      }
    }
  }
  return { distinct, ids: Int32Array.from(ids), lengths: Int32Array.from(lengths) };
}

export interface FeaturizeHelper {
  /** The helper's pages' tokens, or undefined if it failed, did not start, or stopped answering. */
  take(): FeaturizedPart | undefined;
}

/** A helper thread featurizing `pages`; undefined if no thread could be had. `file`: its code (tests give others). */
export function startFeaturizeHelper(pages: readonly LabelledPage[], featurizer: FeaturizerOptions, file: string = compiledWorkerFile('model', 'featurize-corpus-worker.js')): FeaturizeHelper | undefined {
  if (!fs.existsSync(file)) return undefined;
  const { port1, port2 } = new MessageChannel();
  const control = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const job: FeaturizeJob = { pages: pages.map(textsOf), featurizer, port: port2, control };
  let worker: Worker;
  try {
    worker = new Worker(file, { workerData: job, transferList: [port2] });
  } catch {
    port1.close();
    return undefined;
  }
  // It must never keep the process alive; a failure is seen through `control`.
  worker.unref();
  worker.on('error', () => {
    Atomics.store(control, 0, FAILED);
    Atomics.notify(control, 0);
  });
  return {
    take() {
      if (Atomics.wait(control, 0, 0, START_TIMEOUT_MS) !== 'timed-out') Atomics.wait(control, 0, STARTED, HELPER_TIMEOUT_MS);
      const answer = Atomics.load(control, 0) === DONE ? receiveMessageOnPort(port1)?.message as FeaturizedPart | undefined : undefined;
      port1.close();
      void worker.terminate();
      return answer;
    },
  };
}

/**
 * Feature tokens and classes of every block of every page (already `withClasses`), in page order.
 * `parallel`: whether a helper thread featurizes part of the pages (the same tokens either way);
 * default: for large corpora.
 *
 * Each token is looked up once here, and numbered: natural's counting and the held-out folds then
 * read the numbers rather than look every token up again in maps of 300,000 strings, whose lookups
 * were a third of featurizing and counting. Every copy of a token is the one string of its value, so
 * the copies die young: every token kept alive through training was a survivor that each
 * young-generation collection copied (1,848 pages: 11.2-11.6 s -> 8.6 s with counting).
 */
export function featurizeCorpus(pages: readonly LabelledPage[], featurizer: FeaturizerOptions, parallel?: boolean): FeaturizedCorpus {
  const idOf = new Map<string, number>();
  const features: string[] = [];
  const number = (token: string): number => {
    let id = idOf.get(token);
    if (id === undefined) {
      id = features.length;
      idOf.set(token, id);
      features.push(token);
    }
    return id;
  };
  const blocks = pages.reduce((n, p) => n + p.blocks.length, 0);
  // The helper takes the pages after `split`, some HELPER_SHARE of the blocks.
  let split = pages.length;
  for (let seen = 0; split > 0 && seen + (pages[split - 1] as LabelledPage).blocks.length <= blocks * HELPER_SHARE; split--) {
    seen += (pages[split - 1] as LabelledPage).blocks.length;
  }
  const helper = (parallel ?? blocks >= PARALLEL_MIN_BLOCKS) && split < pages.length ? startFeaturizeHelper(pages.slice(split), featurizer) : undefined;
  const ids: Int32Array[][] = [];
  const featurizeHere = (page: LabelledPage): void => {
    ids.push(featurizeTexts(textsOf(page), featurizer).map((tokens) => {
      // A plain loop: Int32Array.from with a mapping function took 0.8 s over a corpus.
      const block = new Int32Array(tokens.length);
      for (let t = 0; t < tokens.length; t++) block[t] = number(tokens[t] as string);
      return block;
    }));
  };
  pages.slice(0, helper ? split : pages.length).forEach(featurizeHere);
  const part = helper?.take();
  if (part) {
    // The helper's numbers, renumbered in the order its tokens come: first seen, as here.
    const renumber = Int32Array.from(part.distinct, number);
    let b = 0;
    let at = 0;
    for (const page of pages.slice(split)) {
      ids.push(page.blocks.map(() => {
        const length = part.lengths[b++] as number;
        const block = new Int32Array(length);
        for (let t = 0; t < length; t++) block[t] = renumber[part.ids[at++] as number] as number;
        return block;
      }));
    }
  } else {
    // No helper, or it failed: the rest is featurized here.
    pages.slice(ids.length).forEach(featurizeHere);
  }
  return {
    pages: pages.map((page, i) => {
      const blockIds = ids[i] as Int32Array[];
      return {
        tokens: blockIds.map((block) => {
          const tokens = new Array<string>(block.length);
          for (let t = 0; t < block.length; t++) tokens[t] = features[block[t] as number] as string;
          return tokens;
        }),
        ids: blockIds,
        classes: page.blocks.map((b) => b.label),
        chars: page.blocks.map((b) => b.text.trim().length),
      };
    }),
    features,
  };
}
