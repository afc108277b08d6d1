/**
 * The softmax fit's gradient loop runs compiled to WebAssembly (src/model/gradient.wat) when the
 * build has it, and as JavaScript (addGradient) when not. Both must give the same gradient to the
 * last bit, so a model does not depend on which ran: the compiled loop is held to the JavaScript one
 * here, on the arrays a fit gives it (test/model/softmax.test.ts holds the whole fit to a plain
 * row-by-row reference).
 */
import fs from 'node:fs';
import path from 'node:path';
import { addGradient, GradientArena, gradientLoop, LANES, slotOf, type GradientTask } from '../../src/model/gradient';

/** A deterministic stream of numbers in [-1, 1). */
function numbers(seed: number): () => number {
  let s = seed;
  return () => { s = (s * 1103515245 + 12345) % 2147483648; return (s / 2147483648) * 2 - 1; };
}

/** A task of `count` rows (padded to blocks of four) on a fresh arena, with weights of `spread`. */
function taskOn(count: number, dims: number, classCount: number, spread: number) {
  const padded = Math.ceil(count / LANES) * LANES;
  const params = classCount * dims + classCount;
  const arena = new GradientArena(GradientArena.bytes(padded * dims, 8) + GradientArena.bytes(count, 4) + 2 * GradientArena.bytes(params, 8) + GradientArena.bytes(LANES * classCount, 8));
  const random = numbers(count * 31 + dims * 7 + classCount);
  const xs = arena.f64(padded * dims);
  for (let r = 0; r < count; r++) for (let i = 0; i < dims; i++) xs[slotOf(r, i, dims)] = random() * 3;
  const labels = arena.i32(count);
  for (let r = 0; r < count; r++) labels[r] = Math.floor((random() + 1) / 2 * classCount);
  const weights = arena.f64(params);
  for (let p = 0; p < params; p++) weights[p] = random() * spread;
  const task: GradientTask = { xs, labels, count, dims, classCount };
  return { arena, task, weights, grad: arena.f64(params), scratch: arena.f64(LANES * classCount), padded };
}

test('the build compiled the loop, and the fit gets it', () => {
  expect(fs.existsSync(path.resolve(__dirname, '../../dist/model/gradient.wasm'))).toBe(true);
  const { arena, scratch } = taskOn(4, 3, 2, 1);
  expect(gradientLoop(arena.memory, scratch)).not.toBe(addGradient);
  // Asked for the JavaScript loop, it gets it.
  expect(gradientLoop(arena.memory, scratch, false)).toBe(addGradient);
});

// Odd and even inputs (the compiled loop takes them two at a time), padding rows, a class count of
// the calibration's and of the neighbour pass's kind, and weights large enough to test the logits'
// maximum (exp of large numbers).
test.each([
  [1, 1, 2, 1],
  [7, 2, 3, 1],
  [13, 5, 2, 1],
  [64, 24, 9, 1],
  [103, 99, 6, 1],
  [37, 11, 6, 400],
])('%i rows of %i inputs, %i classes, weights up to %i: the compiled gradient is the JavaScript one to the last bit', (count, dims, classCount, spread) => {
  const { arena, task, weights, grad, scratch, padded } = taskOn(count, dims, classCount, spread);
  const compiled = gradientLoop(arena.memory, scratch);
  const expected = new Float64Array(grad.length);
  // A gradient is added to what is there: start both from the same numbers.
  for (let p = 0; p < grad.length; p++) grad[p] = expected[p] = p / 7;
  addGradient(task, weights, expected, 0, padded);
  compiled(task, weights, grad, 0, padded);
  expect(Array.from(grad)).toEqual(Array.from(expected));
  expect(grad.some((g, p) => g !== p / 7)).toBe(true);
  // And over part of the rows, as each thread adds its half.
  const half = Math.ceil(count / (2 * LANES)) * LANES;
  grad.fill(0);
  expected.fill(0);
  addGradient(task, weights, expected, half, padded);
  compiled(task, weights, grad, half, padded);
  expect(Array.from(grad)).toEqual(Array.from(expected));
});

test('an array that is not on the fit\'s memory is refused, not read from somewhere else', () => {
  const { arena, task, weights, scratch, padded } = taskOn(8, 3, 2, 1);
  const compiled = gradientLoop(arena.memory, scratch);
  expect(() => compiled(task, weights, new Float64Array(weights.length), 0, padded)).toThrow(/not on its memory/);
  expect(() => compiled({ ...task, xs: Float64Array.from(task.xs) }, weights, arena.f64(0), 0, padded)).toThrow(/not on its memory/);
});

test('an arena refuses to hand out more than it was sized for', () => {
  const arena = new GradientArena(GradientArena.bytes(10, 8));
  arena.f64(10);
  // Memories come in 64 KiB pages: past the page the arena fails rather than overlapping.
  expect(() => arena.f64(65_536 / 8)).toThrow(/more than was sized/);
});
