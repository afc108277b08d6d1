/**
 * @module model/gradient
 * The inner loop of the softmax fit (model/softmax.ts): the gradient of the mean cross-entropy over
 * a range of rows. Its own module so the fit's helper thread (model/fit-worker.ts) runs the very
 * same code on its half of the rows.
 *
 * The loop is most of a training run's time, and it is arithmetic: JavaScript does one
 * multiplication at a time. The same loop in WebAssembly (gradient.wat) does two rows' at once,
 * with the same products added in the same order, so it gives the same gradient to the last bit;
 * the fit runs it when the build's gradient.wasm is there, and the loop below when it is not.
 */
import fs from 'node:fs';
import { compiledWorkerFile } from '../worker-file';

/** Rows fitted side by side (the loop below is written out for four). */
export const LANES = 4;

/** What the gradient is taken over; in shared memory when a helper thread reads it too. */
export interface GradientTask {
  /**
   * Standardised rows, `dims` numbers each, padded with zero rows to a multiple of LANES and laid
   * out as `slotOf` says.
   */
  readonly xs: Float64Array;
  /** Each real row's true class. */
  readonly labels: Int32Array;
  /** Real rows (the rest are padding). */
  readonly count: number;
  readonly dims: number;
  readonly classCount: number;
}

/**
 * Where input i of row r sits in a task's `xs`: the rows in blocks of LANES, each block input by
 * input with its LANES rows' values side by side, so the loop below reads the four rows' values at
 * one place rather than at four: a step takes 0.63 to 0.80 of the time it took with each row's inputs
 * together (docs/accuracy-log.md, "Faster training, the same model").
 */
export const slotOf = (r: number, i: number, dims: number): number => (r - (r % LANES)) * dims + i * LANES + (r % LANES);

/**
 * Adds the gradient of rows [from, to) (both multiples of LANES) at `params` (weights[class][input],
 * then biases) to `grad`. Each row's share is of the mean over all `count` rows.
 *
 * Four rows at a time: each weight is read once for four rows and each gradient entry written once
 * for four, and the four sums run side by side rather than each waiting on its last add. Every sum
 * still adds its terms in the same order as row by row (test/model/softmax.test.ts), in 0.6 of the time.
 */
export function addGradient(task: GradientTask, params: Float64Array, grad: Float64Array, from: number, to: number): void {
  const { xs, labels, count, dims, classCount } = task;
  const n = Math.max(count, 1);
  const biasAt = classCount * dims;
  // Per lane, the row's logits, then its softmax minus the truth: the gradient of its logits.
  const g0 = new Float64Array(classCount);
  const g1 = new Float64Array(classCount);
  const g2 = new Float64Array(classCount);
  const g3 = new Float64Array(classCount);

  /** Turns row r's logits into the gradient of its share of the mean loss; a padding row has none. */
  const logitGradient = (r: number, out: Float64Array): void => {
    if (r >= count) {
      out.fill(0);
      return;
    }
    let max = -Infinity;
    for (let c = 0; c < classCount; c++) max = Math.max(max, out[c] as number);
    // Each class's exponential once: the softmax, from which the gradient follows.
    let total = 0;
    for (let c = 0; c < classCount; c++) {
      const e = Math.exp((out[c] as number) - max);
      out[c] = e;
      total += e;
    }
    const truth = labels[r] as number;
    // The mean gradient: scaled by 1/n once per class, not divided in the inner loop.
    for (let c = 0; c < classCount; c++) out[c] = ((out[c] as number) / total - (c === truth ? 1 : 0)) / n;
  };

  for (let r = from; r < to; r += LANES) {
    const block = r * dims;
    for (let c = 0, at = 0; c < classCount; c++, at += dims) {
      const bias = params[biasAt + c] as number;
      let s0 = bias, s1 = bias, s2 = bias, s3 = bias;
      for (let i = 0, o = block; i < dims; i++, o += LANES) {
        const w = params[at + i] as number;
        s0 += w * (xs[o] as number);
        s1 += w * (xs[o + 1] as number);
        s2 += w * (xs[o + 2] as number);
        s3 += w * (xs[o + 3] as number);
      }
      g0[c] = s0; g1[c] = s1; g2[c] = s2; g3[c] = s3;
    }
    logitGradient(r, g0);
    logitGradient(r + 1, g1);
    logitGradient(r + 2, g2);
    logitGradient(r + 3, g3);
    for (let c = 0, at = 0; c < classCount; c++, at += dims) {
      // Four plain reads, not `const [e0, ...] = [...]`: V8 built that array for every class and
      // block of rows, about 3 GB a training run and most of its garbage collection (docs/performance-log.md).
      const e0 = g0[c] as number, e1 = g1[c] as number, e2 = g2[c] as number, e3 = g3[c] as number;
      for (let i = 0, o = block; i < dims; i++, o += LANES) {
        grad[at + i] = (grad[at + i] as number) + e0 * (xs[o] as number) + e1 * (xs[o + 1] as number) + e2 * (xs[o + 2] as number) + e3 * (xs[o + 3] as number);
      }
      grad[biasAt + c] = (grad[biasAt + c] as number) + e0 + e1 + e2 + e3;
    }
  }
}

/** WebAssembly's page: memories grow in these. */
const WASM_PAGE = 65_536;
/** Typed arrays start on 16 bytes, where a 128-bit load of two numbers is aligned. */
const ALIGN = 16;

/**
 * A fit's memory: its rows, labels, weights and gradients are views on it. It is a shared
 * WebAssembly memory, so the compiled loop reads them where they are, and so does the helper
 * thread (its buffer is a SharedArrayBuffer). Sized once, for everything the fit allocates
 * (`bytes`: the sum of `GradientArena.bytes` of each array), so no view is ever cut off by growth.
 */
export class GradientArena {
  readonly memory: WebAssembly.Memory;
  #used = 0;

  /** The bytes an array of `length` elements of `bytesPer` bytes takes here. */
  static bytes(length: number, bytesPer: number): number {
    return Math.ceil((length * bytesPer) / ALIGN) * ALIGN;
  }

  constructor(bytes: number) {
    const pages = Math.max(1, Math.ceil(bytes / WASM_PAGE));
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  }

  f64(length: number): Float64Array {
    return new Float64Array(this.memory.buffer, this.#take(length, 8), length);
  }

  i32(length: number): Int32Array {
    return new Int32Array(this.memory.buffer, this.#take(length, 4), length);
  }

  #take(length: number, bytesPer: number): number {
    const at = this.#used;
    this.#used += GradientArena.bytes(length, bytesPer);
    if (this.#used > this.memory.buffer.byteLength) throw new Error('GradientArena: more than was sized');
    return at;
  }
}

/** Adds the gradient of rows [from, to) of `task` at `params` to `grad` (as addGradient). */
export type GradientLoop = (task: GradientTask, params: Float64Array, grad: Float64Array, from: number, to: number) => void;

interface GradientExports {
  addGradient(xs: number, labels: number, count: number, dims: number, classCount: number, params: number, grad: number, from: number, to: number, scratch: number): void;
}

/** The compiled module, read once per thread; null when there is none (no build) or it does not load. */
let compiled: WebAssembly.Module | null | undefined;

function compiledModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(fs.readFileSync(compiledWorkerFile('model', 'gradient.wasm')));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/**
 * The gradient loop for arrays on an arena's `memory`: the compiled one, with `scratch` (4 *
 * classCount numbers on that memory, this thread's own) for its logits, or addGradient when there
 * is no compiled module. `useCompiled: false` asks for addGradient.
 */
export function gradientLoop(memory: WebAssembly.Memory, scratch: Float64Array, useCompiled = true): GradientLoop {
  const module = useCompiled ? compiledModule() : null;
  if (!module) return addGradient;
  let compiledLoop: GradientExports['addGradient'];
  try {
    ({ addGradient: compiledLoop } = new WebAssembly.Instance(module, { env: { memory, exp: Math.exp } }).exports as unknown as GradientExports);
  } catch {
    // A memory the module does not take: the JavaScript loop gives the same gradient.
    return addGradient;
  }
  // Every array must be a view on the memory: the compiled loop sees nothing else. (A helper
  // thread's views and memory are other objects over the same bytes, so sizes are compared.)
  // The arena's memory never grows, so its size is read once.
  const bytes = memory.buffer.byteLength;
  const onMemory = (a: Float64Array | Int32Array): boolean => a.buffer instanceof SharedArrayBuffer && a.buffer.byteLength === bytes;
  return (task, params, grad, from, to) => {
    for (const a of [task.xs, task.labels, params, grad, scratch]) if (!onMemory(a)) throw new Error('gradientLoop: an array not on its memory');
    if (scratch.length < LANES * task.classCount) throw new Error('gradientLoop: too little scratch');
    compiledLoop(task.xs.byteOffset, task.labels.byteOffset, task.count, task.dims, task.classCount, params.byteOffset, grad.byteOffset, from, to, scratch.byteOffset);
  };
}
