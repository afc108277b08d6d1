/**
 * The softmax fit (model/softmax.ts) runs four rows side by side for speed, and on large fits hands
 * half the rows to a helper thread. It must fit exactly what the plain row-by-row loop fits: the
 * same sums in the same order, so the same model file to the last bit, with or without the helper.
 * The reference below is that plain loop, summing the rows in the fit's two halves.
 */
import { fitSoftmax, softmaxLog, type FitOptions } from '../../src/model/softmax';
import { addGradient, slotOf } from '../../src/model/gradient';
import { startFitHelper } from '../../src/model/fit-helper';

const [BETA1, BETA2] = [0.9, 0.999];

/**
 * Row by row, one row's gradient at a time: the fit as it was before it ran four rows at once, with
 * the rows summed in two halves (the first 4 * ceil(count / 8)) that are then added.
 */
function referenceFit(raw: number[][], labels: number[], classCount: number, options: FitOptions, start: (c: number, i: number) => number): number[] {
  const dims = raw[0]?.length ?? 0;
  const mean = Array.from({ length: dims }, (_, i) => raw.reduce((s, x) => s + (x[i] as number), 0) / Math.max(raw.length, 1));
  const scale = mean.map((m, i) => Math.sqrt(raw.reduce((s, x) => s + ((x[i] as number) - m) ** 2, 0) / Math.max(raw.length, 1)) || 1);
  const rows = raw.map((x) => x.map((v, i) => (v - (mean[i] as number)) / (scale[i] as number)));
  const params = Array.from({ length: classCount * dims + classCount }, (_, p) => (p < classCount * dims ? start(Math.floor(p / dims), p % dims) : 0));
  const m1 = params.map(() => 0);
  const m2 = params.map(() => 0);
  const n = Math.max(rows.length, 1);
  const biasAt = classCount * dims;
  const half = 4 * Math.ceil(rows.length / 8);
  for (let step = 1; step <= options.iterations; step++) {
    const first = params.map(() => 0);
    const second = params.map(() => 0);
    rows.forEach((x, r) => {
      const grad = r < half ? first : second;
      const logits = Array.from({ length: classCount }, (_, c) => x.reduce((s, v, i) => s + (params[c * dims + i] as number) * v, params[biasAt + c] as number));
      const max = Math.max(...logits);
      const exps = logits.map((l) => Math.exp(l - max));
      const total = exps.reduce((a, b) => a + b, 0);
      exps.forEach((e, c) => {
        const g = (e / total - (c === labels[r] ? 1 : 0)) / n;
        x.forEach((v, i) => { grad[c * dims + i] = (grad[c * dims + i] as number) + g * v; });
        grad[biasAt + c] = (grad[biasAt + c] as number) + g;
      });
    });
    const grad = first.map((v, p) => v + (second[p] as number));
    for (let p = 0; p < biasAt; p++) grad[p] = (grad[p] as number) + 2 * options.l2 * (params[p] as number);
    params.forEach((w, p) => {
      const g = grad[p] as number;
      m1[p] = BETA1 * (m1[p] as number) + (1 - BETA1) * g;
      m2[p] = BETA2 * (m2[p] as number) + (1 - BETA2) * g * g;
      params[p] = w - (options.learningRate * ((m1[p] as number) / (1 - BETA1 ** step))) / (Math.sqrt((m2[p] as number) / (1 - BETA2 ** step)) + 1e-8);
    });
  }
  return params.map((v) => Number(v.toPrecision(10)));
}

/** Deterministic rows: a few classes, each shifting a few inputs, with noise. */
function rowsOf(count: number, dims: number, classCount: number): { raw: number[][]; labels: number[] } {
  let seed = 12345;
  const random = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const labels = Array.from({ length: count }, () => Math.floor(random() * classCount));
  const raw = labels.map((label) => Array.from({ length: dims }, (_, i) => (i % classCount === label ? 1.5 : 0) + random() * 2 - 1));
  return { raw, labels };
}

const OPTIONS: FitOptions = { iterations: 40, learningRate: 0.15, l2: 1e-4 };

test.each([1, 3, 4, 5, 103, 256])('with %i rows the fit equals the row-by-row fit to the last bit', (count) => {
  const { raw, labels } = rowsOf(count, 7, 3);
  const start = (c: number, i: number): number => (i === c ? 1 : 0);
  const fitted = fitSoftmax(raw, labels, 3, OPTIONS, start);
  expect([...fitted.weights.flat(), ...fitted.bias]).toEqual(referenceFit(raw, labels, 3, OPTIONS, start));
});

test('a helper thread adding half the rows fits the same layer to the last bit', () => {
  const { raw, labels } = rowsOf(1001, 7, 3);
  const start = (c: number, i: number): number => (i === c ? 1 : 0);
  const alone = fitSoftmax(raw, labels, 3, { ...OPTIONS, parallel: false }, start);
  const helped = fitSoftmax(raw, labels, 3, { ...OPTIONS, parallel: true }, start);
  expect(helped).toEqual(alone);
  expect([...helped.weights.flat(), ...helped.bias]).toEqual(referenceFit(raw, labels, 3, OPTIONS, start));
});

test('the compiled gradient loop and the JavaScript one fit the same layer to the last bit, with or without the helper thread', () => {
  const { raw, labels } = rowsOf(1001, 9, 4);
  const options: FitOptions = { ...OPTIONS, warmup: { every: 4, iterations: 30 } };
  const plain = fitSoftmax(raw, labels, 4, { ...options, compiled: false, parallel: false });
  expect(fitSoftmax(raw, labels, 4, { ...options, compiled: true, parallel: false })).toEqual(plain);
  expect(fitSoftmax(raw, labels, 4, { ...options, compiled: true, parallel: true })).toEqual(plain);
  expect(fitSoftmax(raw, labels, 4, { ...options, compiled: false, parallel: true })).toEqual(plain);
});

test('the fitted layer learns the classes it was shown', () => {
  const { raw, labels } = rowsOf(400, 6, 3);
  const fitted = fitSoftmax(raw, labels, 3, { iterations: 200, learningRate: 0.15, l2: 1e-4 });
  const right = raw.filter((x, r) => {
    const scores = softmaxLog(fitted, x);
    return scores.indexOf(Math.max(...scores)) === labels[r];
  }).length;
  expect(right / raw.length).toBeGreaterThan(0.9);
});

test('softmaxLog gives, to the last bit, the normalised log-probabilities of the plain formula', () => {
  const { raw, labels } = rowsOf(300, 9, 4);
  const fitted = fitSoftmax(raw, labels, 4, { iterations: 60, learningRate: 0.15, l2: 1e-4 });
  // The formula as written before softmaxLog ran in plain loops: map, reduce, then log-sum-exp.
  const reference = (x: number[]): number[] => {
    const z = x.map((v, i) => (v - (fitted.mean[i] as number)) / (fitted.scale[i] as number));
    const logits = fitted.weights.map((w, c) => w.reduce((s, wi, i) => s + wi * (z[i] as number), fitted.bias[c] as number));
    const max = Math.max(...logits);
    const total = logits.reduce((sum, l) => sum + Math.exp(l - max), 0);
    return logits.map((l) => l - (max + Math.log(total)));
  };
  for (const x of raw) expect([...softmaxLog(fitted, x)]).toEqual(reference(x));
});

test('a warm-up on every row is the same fit as that many more steps on every row', () => {
  const { raw, labels } = rowsOf(103, 7, 3);
  const warmed = fitSoftmax(raw, labels, 3, { ...OPTIONS, iterations: 15, warmup: { every: 1, iterations: 25 } });
  expect(warmed).toEqual(fitSoftmax(raw, labels, 3, OPTIONS));
});

test('a warm-up on every 4th row: the same layer with or without the helper thread, and it learns the classes', () => {
  const { raw, labels } = rowsOf(1001, 6, 3);
  const options: FitOptions = { iterations: 40, learningRate: 0.15, l2: 1e-4, warmup: { every: 4, iterations: 120 } };
  const alone = fitSoftmax(raw, labels, 3, { ...options, parallel: false });
  const helped = fitSoftmax(raw, labels, 3, { ...options, parallel: true });
  expect(helped).toEqual(alone);
  // The warm-up changed the fit (it is not the 40 steps alone) ...
  expect(alone).not.toEqual(fitSoftmax(raw, labels, 3, { ...options, warmup: undefined, parallel: false }));
  // ... and the layer it ends with tells the classes apart.
  const right = raw.filter((x, r) => {
    const scores = softmaxLog(alone, x);
    return scores.indexOf(Math.max(...scores)) === labels[r];
  }).length;
  expect(right / raw.length).toBeGreaterThan(0.9);
});

test('the helper thread starts, adds the gradient of its rows at each step\'s weights, and stops', () => {
  const { raw, labels } = rowsOf(64, 5, 3);
  const xs = new Float64Array(new SharedArrayBuffer(8 * 64 * 5));
  raw.forEach((x, r) => x.forEach((v, i) => { xs[slotOf(r, i, 5)] = v; }));
  const task = { xs, labels: Int32Array.from(labels), count: 64, dims: 5, classCount: 3 };
  const params = new Float64Array(new SharedArrayBuffer(8 * (3 * 5 + 3)));
  const helper = startFitHelper(task, params, 32, 64);
  expect(helper).toBeDefined();
  try {
    for (const step of [1, 2]) {
      params.fill(step / 10);
      const expected = new Float64Array(params.length);
      addGradient(task, params, expected, 32, 64);
      helper?.start(step);
      helper?.wait(step);
      expect(Array.from(helper?.grad ?? [])).toEqual(Array.from(expected));
    }
  } finally {
    helper?.stop();
  }
});
