/**
 * Contract: our sparse log-space scorer computes natural's own BayesClassifier formula.
 */
import { BayesClassifier } from '../../src/natural';
import { readLabelledDir } from '../../src/data/labelled-pages';
import { classifyPage } from '../../src/pipeline/classify';
import { compileScoringModel, scoreBlock, scoreFeatures } from '../../src/model/score';
import { extractCounts, pruneRareFeatures, trainNatural, withClasses, DEFAULT_TRAIN_OPTIONS } from '../../src/model/train';
import { featurizeCorpus } from '../../src/model/featurize-corpus';
import { heldOutScores, packCorpus } from '../../src/model/held-out';
import { shippedModel, TRAINING_DATA } from '../helpers/app';

const pages = readLabelledDir(TRAINING_DATA).slice(0, 40);
const featurized = featurizeCorpus(pages.map((p) => withClasses(p)), DEFAULT_TRAIN_OPTIONS.featurizer);
const corpus = featurized.pages;
const smoothing = 0.3;
const natural = trainNatural(featurized, smoothing);
// The counts the model file stores, extracted from that same trained natural classifier.
const model = extractCounts(natural, Object.keys(natural.classifier.classFeatures).sort());
const scoring = compileScoringModel(model);

/** Short blocks: natural's exp() has not underflowed yet, so its values can be compared. */
const shortBlocks = corpus.flatMap((p) => p.tokens).filter((t) => t.length > 0).slice(0, 400);

describe('scoring equals natural\'s BayesClassifier', () => {
  test('training through the sparse route counts exactly what natural\'s own train() counts', () => {
    const own = new BayesClassifier(undefined, smoothing);
    for (const page of corpus) page.tokens.forEach((t, i) => t.length > 0 && own.addDocument(t, page.classes[i] as string));
    own.train();
    expect(natural.classifier.classTotals).toEqual(own.classifier.classTotals);
    expect(natural.classifier.totalExamples).toBe(own.classifier.totalExamples);
    expect(Object.keys(natural.classifier.classFeatures)).toEqual(Object.keys(own.classifier.classFeatures));
    // The sparse route keeps a 0 where natural's train() keeps no key: natural reads both as "never seen".
    const features = Object.keys(own.features).length;
    const asRead = (table: Record<number, number> | number[]): number[] => Array.from({ length: features }, (_, k) => table[k] || 0);
    for (const label of Object.keys(own.classifier.classFeatures)) {
      const ours = asRead(natural.classifier.classFeatures[label] as number[]);
      expect(ours.some((count) => count > 0)).toBe(true);
      expect(ours).toEqual(asRead(own.classifier.classFeatures[label] as Record<number, number>));
    }
    // And natural, given the same block, answers the same from either.
    for (const tokens of shortBlocks.slice(0, 50)) expect(natural.getClassifications(tokens)).toEqual(own.getClassifications(tokens));
  });

  test('a calibration fold scores its held-out blocks as natural trained on the other pages would, to the last bit, with or without the helper thread', () => {
    const heldAt = corpus.flatMap((_, i) => (i % 5 === 2 ? [i] : []));
    const rest = corpus.filter((_, i) => i % 5 !== 2);
    const trained = extractCounts(trainNatural(featurized, smoothing, rest), model.classes);
    // Some features only the held-out pages hold: unknown to the fold, as to natural trained without them.
    expect(Object.keys(trained.features).length).toBeLessThan(Object.keys(model.features).length);
    const packed = packCorpus(model, featurized);
    const c = model.classes.length;
    for (const minBlocks of [1, 3]) {
      const retrained = compileScoringModel(pruneRareFeatures(trained, minBlocks));
      for (const parallel of [false, true]) {
        // The other fold holds no page: it scores nothing, and takes nothing away.
        const scores = heldOutScores(packed, [Int32Array.from(heldAt), new Int32Array(0)], minBlocks, parallel);
        let unknown = 0;
        let compared = 0;
        for (const i of heldAt) {
          (corpus[i] as (typeof corpus)[number]).tokens.forEach((tokens, j) => {
            if (tokens.length === 0) return;
            const b = (packed.pageStart[i] as number) + j;
            const ours = { logLikelihood: scores.logLikelihood.slice(b * c, (b + 1) * c), knownFeatures: scores.knownFeatures[b] as number };
            expect(ours).toEqual(scoreFeatures(retrained, tokens));
            unknown += new Set(tokens).size - ours.knownFeatures;
            compared++;
          });
        }
        expect(compared).toBeGreaterThan(300);
        expect(unknown).toBeGreaterThan(0);
        // Pages in no fold are not scored.
        const other = (packed.pageStart[0] as number) * c;
        expect(scores.logLikelihood.slice(other, other + c).every((v) => v === 0)).toBe(true);
      }
    }
  });

  test('(a) on short blocks our scores equal natural\'s getClassifications normalised to 1, within 1e-9, and rank labels the same', () => {
    let compared = 0;
    for (const tokens of shortBlocks) {
      const theirs = natural.getClassifications(tokens);
      const total = theirs.reduce((s, c) => s + c.value, 0);
      if (!(total > 1e-280)) continue; // natural already underflowed on this block
      const ours = scoreBlock(scoring, tokens);
      for (const { label, value } of theirs) {
        expect(Math.abs((ours[model.classes.indexOf(label)] as number) - value / total)).toBeLessThan(1e-9);
      }
      const ourRanking = [...model.classes].sort((a, b) => (ours[model.classes.indexOf(b)] as number) - (ours[model.classes.indexOf(a)] as number));
      const distinct = new Set(theirs.map((c) => c.value)).size === theirs.length;
      if (distinct) expect(ourRanking).toEqual(theirs.map((c) => c.label));
      compared++;
    }
    expect(compared).toBeGreaterThan(300);
  });

  test('features the model never saw are ignored, as natural ignores them', () => {
    const tokens = shortBlocks[0] as string[];
    expect(scoreFeatures(scoring, [...tokens, 'w:neverseenbeforeanywhere']).logLikelihood).toEqual(scoreFeatures(scoring, tokens).logLikelihood);
  });

  test('a feature repeated in a block counts once, as in natural, on every call after the first', () => {
    let compared = 0;
    for (const tokens of shortBlocks.slice(0, 100)) {
      const theirs = natural.getClassifications([...tokens, ...tokens]);
      const total = theirs.reduce((s, c) => s + c.value, 0);
      if (!(total > 1e-280)) continue;
      // Score other blocks in between: the scorer reuses its scratch from call to call.
      scoreFeatures(scoring, shortBlocks[compared + 1] as string[]);
      const ours = scoreBlock(scoring, [...tokens, ...tokens]);
      for (const { label, value } of theirs) expect(Math.abs((ours[model.classes.indexOf(label)] as number) - value / total)).toBeLessThan(1e-9);
      expect(scoreFeatures(scoring, [...tokens, ...tokens]).knownFeatures).toBe(scoreFeatures(scoring, tokens).knownFeatures);
      compared++;
    }
    expect(compared).toBeGreaterThan(50);
  });

  test('(b) a 2,000-word article paragraph gets content with finite scores, where natural underflows to 0', () => {
    const sentences = [
      'The council approved the new budget after a long debate about road repairs and school funding.',
      'Residents who attended the meeting said they were worried about rising property taxes in the coming year.',
      'The mayor told reporters that the city would publish a detailed plan for the harbour district next month.',
      'Engineers have warned for several years that the old bridge needs repairs before the winter storms arrive.',
    ];
    const parts: string[] = [];
    for (let i = 0, words = 0; words < 2000; i++) {
      parts.push(sentences[i % sentences.length] as string);
      words += (sentences[i % sentences.length] as string).split(' ').length;
    }
    const paragraph = parts.join(' ');
    const page = [
      'Skip to main content', 'Home News Sport Business Culture', 'Local politics',
      'Council backs harbour budget after marathon session', 'By Ana Ruiz, Local Democracy Reporter', 'Published 14 March',
      'Councillors voted 31 to 12 in favour of the plan on Tuesday night, ending weeks of argument over the harbour.',
      paragraph,
      'The budget will be reviewed again in September, when the first repair contracts are due to be signed.',
      'Share this article', 'Most read', 'Bus drivers vote to strike over pay', '© 2026 Harbour Gazette. All rights reserved.',
    ];
    const result = classifyPage({ blocks: page }, shippedModel(), { maxBlocks: 100 });
    const block = result.blocks[7]!;
    expect(block.label).toBe('content');
    for (const v of Object.values(block.scores)) expect(Number.isFinite(v)).toBe(true);
    expect(Object.values(block.scores).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);

    // natural's own formula on a block that long: every label underflows to 0.
    const longTokens = Array.from({ length: 400 }, (_, i) => (shortBlocks[i % shortBlocks.length] as string[])[i % 10] as string);
    const theirs = natural.getClassifications([...new Set(longTokens)]);
    expect(theirs.every((c) => c.value === 0)).toBe(true);
    const ours = scoreBlock(scoring, [...new Set(longTokens)]);
    expect(ours.every((v) => Number.isFinite(v))).toBe(true);
  });

  test('a pruned feature scores as an unknown one: the block scores as if it did not hold it', () => {
    const pruned = pruneRareFeatures(model, 2);
    const kept = new Set(Object.keys(pruned.features));
    const dropped = Object.keys(model.features).filter((f) => !kept.has(f));
    expect(dropped.length).toBeGreaterThan(0);
    for (const f of dropped) expect((model.features[f] as number[]).reduce((a, b) => a + b, 0)).toBeLessThan(2);
    const prunedScoring = compileScoringModel(pruned);
    let checked = 0;
    for (const tokens of shortBlocks) {
      const without = tokens.filter((t) => kept.has(t) || !(t in model.features));
      if (without.length === tokens.length) continue;
      const a = scoreFeatures(prunedScoring, tokens);
      const b = scoreFeatures(scoring, without);
      expect(a.knownFeatures).toBe(b.knownFeatures);
      a.logLikelihood.forEach((v, i) => expect(v).toBeCloseTo(b.logLikelihood[i] as number, 12));
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });
});
