/**
 * @module heap
 * A full garbage collection (two, back to back) after a model is loaded. Loading makes garbage
 * several times the model's live size: the file's text, its parsed form, the canonical copy hashed
 * to check the version, and the feature record packed away (model/feature-counts.ts). A service that then waits
 * for requests allocates nothing more, so V8 never comes back to it: with the 1,711-page model one
 * worker held 303 MB resident 15 s after ready, 161 MB of it heap, of which 40 MB was alive; after
 * one full collection it held 184 MB, after two about 150 MB with the scorer's smaller tables
 * (docs/performance-log.md).
 *
 * Node offers `gc()` only to processes started with --expose-gc. As jest's leak detector does, the
 * flag is set for the moment it takes to fetch the function in a fresh context, then cleared, so
 * no other code sees a global `gc`. The function is fetched once.
 *
 * The collection runs on the next turn of the event loop, not at once: the caller that has just
 * loaded a model usually still holds the parsed file in a local variable, and collecting then kept
 * it (242 MB rather than 184 MB).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;
let pending: NodeJS.Immediate | undefined;

/** A full collection on the next turn of the event loop (one, however often it is asked for before then). */
export function collectGarbageSoon(): void {
  if (pending) return;
  pending = setImmediate(() => {
    pending = undefined;
    collectGarbage();
  });
  // It must never keep a process alive that has nothing else to do.
  pending.unref();
}

export function collectGarbage(): void {
  if (!collect) {
    const own = (globalThis as { gc?: () => void }).gc;
    if (own) collect = own;
    else {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
      setFlagsFromString('--no-expose-gc');
    }
  }
  // Two: the first frees the loading garbage but leaves old space in sparse pages, which the
  // second compacts (measured on the shipped model in one process: 217 MB resident after one
  // collection, 167 MB after two).
  collect();
  collect();
}
