/**
 * The sequence pass computes forward-backward in probabilities with per-step scaling. This checks
 * it against the textbook log-space recursion on the shipped model, over real pages.
 */
import { readLabelledDir } from '../../src/data/labelled-pages';
import { articleCutOf } from '../../src/model/train';
import { decodeSequence, type SequenceModel } from '../../src/model/sequence';
import { logSumExp } from '../../src/model/score';
import { calibrate } from '../../src/model/calibrate';
import { scoreFeatures } from '../../src/model/score';
import { featurizePage } from '../../src/features/featurize';
import { normalizeBlocks } from '../../src/text/segment';
import { shippedModel, TRAINING_DATA } from '../helpers/app';

/** Log-space forward-backward: log-sum-exp over every state pair. */
function reference(model: SequenceModel, evidence: readonly (Float64Array | undefined)[]): Float64Array[] {
  const k = model.logStart.length;
  const emit = evidence.map((e) => (e ? Float64Array.from(model.stateClass, (c) => (e[c] as number) / model.temperature) : new Float64Array(k)));
  const alpha: Float64Array[] = [];
  for (let t = 0; t < emit.length; t++) {
    alpha.push(Float64Array.from({ length: k }, (_, j) => (t === 0
      ? (model.logStart[j] as number)
      : logSumExp(Float64Array.from({ length: k }, (_, i) => (alpha[t - 1]![i] as number) + (model.logTransition[i]![j] as number)))) + (emit[t]![j] as number)));
  }
  const beta: Float64Array[] = new Array(emit.length);
  for (let t = emit.length - 1; t >= 0; t--) {
    beta[t] = Float64Array.from({ length: k }, (_, i) => (t === emit.length - 1 ? 0
      : logSumExp(Float64Array.from({ length: k }, (_, j) => (model.logTransition[i]![j] as number) + (emit[t + 1]![j] as number) + (beta[t + 1]![j] as number)))));
  }
  return alpha.map((a, t) => {
    const joint = a.map((v, s) => v + (beta[t]![s] as number));
    const z = logSumExp(joint);
    const out = new Float64Array(model.classCount);
    joint.forEach((v, s) => { const c = model.stateClass[s] as number; out[c] = (out[c] as number) + Math.exp(v - z); });
    return out;
  });
}

test('scaled forward-backward equals the log-space recursion within 1e-9, blank blocks and extreme evidence included', () => {
  const model = shippedModel();
  const pages = readLabelledDir(TRAINING_DATA).filter((_, i) => i % 10 === 0);
  let compared = 0;
  for (const page of pages) {
    const blocks = normalizeBlocks(page.blocks.map((b, i) => (i % 9 === 4 ? '   ' : b.text)));
    const evidence = featurizePage(blocks, model.file.featurizer).map((tokens, i) => {
      if (tokens.length === 0) return undefined;
      const scores = scoreFeatures(model.scoring, tokens);
      const posterior = calibrate(model.file.calibration, { ...scores, chars: blocks[i]!.text.trim().length });
      // Some blocks get evidence hundreds of nats apart, where a naive exp() would underflow.
      return posterior.map((v, c) => (i % 13 === 0 ? v * 40 : v) - (model.logClassShare[c] as number));
    });
    const ours = decodeSequence(model.sequence, evidence);
    const theirs = reference(model.sequence, evidence);
    ours.forEach((p, t) => p.forEach((v, c) => {
      expect(Number.isFinite(v)).toBe(true);
      expect(Math.abs(v - (theirs[t]![c] as number))).toBeLessThan(1e-9);
    }));
    compared += ours.length;
  }
  expect(compared).toBeGreaterThan(1500);
});

test('a page may start at its article: the start counts hold each training page\'s own start and one 0 to 2 blocks before its headline', () => {
  const model = shippedModel();
  const pages = readLabelledDir(TRAINING_DATA);
  const { states, startCounts } = model.file.sequence;
  const head = (p: (typeof pages)[number]): number => p.blocks.findIndex((b) => b.label === 'content');
  const withHeadline = pages.filter((p) => head(p) > 0).length;
  expect(startCounts.reduce((a, b) => a + b, 0)).toBe(pages.length + withHeadline);
  // No training page opens with its headline; the article starts that do are what teach it.
  expect(pages.some((p) => p.blocks[0]!.label === 'content')).toBe(false);
  // Pages take turns to start 0, 1 or 2 blocks before the headline, in training order.
  expect(startCounts[states.indexOf('content@head')]).toBe(pages.filter((p, i) => head(p) > 0 && i % 3 === 0).length);
});

test('every third training page is also cut to its article for natural: from its headline, 8 to 20 blocks', () => {
  const pages = readLabelledDir(TRAINING_DATA);
  const cuts = pages.map((p, i) => articleCutOf(p, i));
  expect(cuts.filter(Boolean).length).toBe(pages.filter((p, i) => i % 3 === 0 && p.blocks.findIndex((b) => b.label === 'content') > 0).length);
  cuts.forEach((cut, i) => {
    if (!cut) return;
    const head = pages[i]!.blocks.findIndex((b) => b.label === 'content');
    expect(cut.blocks[0]).toEqual(pages[i]!.blocks[head]);
    expect(cut.blocks.length).toBeGreaterThanOrEqual(Math.min(8, pages[i]!.blocks.length - head));
    expect(cut.blocks.length).toBeLessThanOrEqual(20);
  });
});
