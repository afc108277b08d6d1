import { computeMetrics, groupMetrics, headlineRecall, type Prediction } from '../../src/eval/metrics';
import { pageShingleScores, shingleScore } from '../../src/eval/shingles';
import { foldsOf } from '../../src/model/folds';

describe('computeMetrics', () => {
  const predictions = [
    { truth: 'content', predicted: 'content', chars: 100 },
    { truth: 'content', predicted: 'navigation', chars: 50 },
    { truth: 'navigation', predicted: 'navigation', chars: 10 },
    { truth: 'navigation', predicted: 'content', chars: 20 },
    { truth: 'icon', predicted: 'icon', chars: 5 },
  ];
  const m = computeMetrics(predictions);

  test('confusion matrix, rows truth and columns predicted', () => {
    expect(m.confusion.content).toEqual({ content: 1, icon: 0, navigation: 1 });
    expect(m.confusion.navigation).toEqual({ content: 1, icon: 0, navigation: 1 });
  });

  test('per-label precision, recall, F1 and macro-F1 over the labels in the truth', () => {
    const content = m.perLabel.find((l) => l.label === 'content')!;
    expect(content).toEqual({ label: 'content', precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(m.macroF1).toBeCloseTo((0.5 + 0.5 + 1) / 3, 12);
    expect(m.accuracy).toBeCloseTo(3 / 5, 12);
  });

  test('content precision and recall are counted in characters', () => {
    expect(m.contentChars.precision).toBeCloseTo(100 / 120, 12);
    expect(m.contentChars.recall).toBeCloseTo(100 / 150, 12);
  });
});

/** Predictions for a page, as the evaluation makes them: every block shares the page's `texts`. */
function page(id: string, blocks: [truth: string, predicted: string][]): Prediction[] {
  const texts = blocks.map((_, i) => `${id} block ${i}`);
  return blocks.map(([truth, predicted], block) => ({ truth, predicted, chars: 10, at: { page: id, block, texts } }));
}

describe('headlineRecall (the article start)', () => {
  test('counts each page once, by its first content block, and says what the lost ones became', () => {
    const predictions = [
      ...page('a-1', [['navigation', 'navigation'], ['content', 'content'], ['content', 'navigation']]),
      ...page('a-2', [['navigation', 'content'], ['content', 'navigation'], ['content', 'content']]),
      ...page('b-1', [['content', 'caption'], ['content', 'content']]),
      ...page('b-2', [['navigation', 'navigation'], ['icon', 'icon']]),
    ];
    const h = headlineRecall(predictions);
    // b-2 has no content block; a-1's first one was kept, a-2's and b-1's were not.
    expect(h).toEqual({ pages: 3, kept: 1, recall: 1 / 3, lostTo: { navigation: 1, caption: 1 } });
  });

  test('two pages with the same id are still two pages', () => {
    const predictions = [...page('same', [['content', 'content']]), ...page('same', [['content', 'navigation']])];
    expect(headlineRecall(predictions)).toMatchObject({ pages: 2, kept: 1 });
  });
});

describe('groupMetrics (figures by page id prefix)', () => {
  const a1 = page('a-1', [['content', 'content'], ['navigation', 'navigation']]);
  const a2 = page('a-2', [['content', 'navigation'], ['navigation', 'navigation']]);
  const b1 = page('b-1', [['content', 'content'], ['icon', 'navigation']]);
  const all = [...a1, ...b1, ...a2];

  test('each prefix gets its own pages\' figures, then the rest; an empty group is left out', () => {
    const groups = groupMetrics(all, ['a-', 'zzz-']);
    expect(groups.map((g) => [g.group, g.pages, g.metrics.blocks])).toEqual([['a-', 2, 4], ['rest', 1, 2]]);
    expect(groups[0]!.metrics).toEqual(computeMetrics([...a1, ...a2]));
    expect(groups[0]!.headline).toEqual(headlineRecall([...a1, ...a2]));
    expect(groups[1]!.metrics).toEqual(computeMetrics(b1));
  });

  test('a prefix named "rest" is still its own group, apart from the pages no prefix matched', () => {
    const groups = groupMetrics([...page('rest-1', [['content', 'content']]), ...a1], ['rest']);
    expect(groups.map((g) => [g.group, g.pages])).toEqual([['rest', 1], ['rest', 1]]);
    expect(groups[1]!.metrics).toEqual(computeMetrics(a1));
  });

  test('a page goes to the first prefix it starts with', () => {
    const groups = groupMetrics(all, ['a-1', 'a-']);
    expect(groups.map((g) => [g.group, g.pages])).toEqual([['a-1', 1], ['a-', 1], ['rest', 1]]);
  });
});

describe('shingleScore (the benchmark metric)', () => {
  test('identical text scores 1; nothing kept scores 0 recall and leaves precision to other pages', () => {
    const truth = 'The harbour board met on Tuesday and voted to repair the sea wall';
    expect(shingleScore([{ kept: truth, truth }]).f1).toBe(1);
    const score = shingleScore([{ kept: truth, truth }, { kept: '', truth }]);
    expect(score.precision).toBe(1);
    expect(score.recall).toBe(0.5);
  });

  test('extra kept text lowers precision; shingles are counted as a multiset, case kept', () => {
    const truth = 'one two three four five';
    const score = shingleScore([{ kept: 'one two three four five Share on Facebook now', truth }]);
    expect(score.recall).toBe(1);
    expect(score.precision).toBeCloseTo(2 / 6, 12);
    expect(shingleScore([{ kept: 'One two three four five', truth }]).recall).toBe(0.5);
  });

  test('per page, the same figures the means are taken over; a page that kept nothing has no precision', () => {
    const truth = 'one two three four five';
    const pages = [
      { id: 'a', site: 'example.org', kept: 'one two three four five Share on Facebook now', truth },
      { id: 'b', kept: '', truth },
    ];
    const [a, b] = pageShingleScores(pages);
    expect(a).toEqual({ id: 'a', site: 'example.org', precision: 2 / 6, recall: 1, f1: (2 * (2 / 6)) / (2 / 6 + 1) });
    expect(b).toEqual({ id: 'b', precision: null, recall: 0, f1: 0 });
    const whole = shingleScore(pages);
    expect(whole.precision).toBe(a?.precision);
    expect(whole.recall).toBe(((a?.recall ?? 0) + (b?.recall ?? 0)) / 2);
  });
});

describe('foldsOf', () => {
  test('every item in exactly one fold, the same split for the same seed', () => {
    const folds = foldsOf(23, 5, 1);
    expect(folds.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(foldsOf(23, 5, 1)).toEqual(folds);
    expect(foldsOf(23, 5, 2)).not.toEqual(folds);
  });
});
