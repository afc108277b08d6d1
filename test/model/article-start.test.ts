/**
 * Contract: the article-start pass learns, from training pages, which block starts the article,
 * and only ever makes that one block content.
 */
import { applyArticleStart, fitArticleStart, startIndexes, START_THRESHOLD, type StartExample, type StartPage } from '../../src/model/article-start';

const labels = ['caption', 'content', 'navigation'];
const classes = ['caption', 'content@body', 'content@head', 'navigation'];
const at = startIndexes(labels, classes) as NonNullable<ReturnType<typeof startIndexes>>;

/** Label probabilities with `content` at the given value, the rest mostly navigation. */
const labelled = (content: number): Float64Array => Float64Array.from([0.05, content, 0.95 - content]);
/** natural's class votes, with the given vote for the article's first block. */
const voted = (head: number): Float64Array => Float64Array.from([0.05, (0.95 - head) / 2, head, (0.95 - head) / 2]);

type Kind = 'menu' | 'headline' | 'body' | 'related' | 'teaser' | 'blank';

/** A page from its blocks' kinds: the page's own headline and a related-story headline look alike to natural. */
function pageOf(kinds: readonly Kind[]): StartPage {
  const look: Record<Kind, [number, number]> = {
    menu: [0.03, 0.02], headline: [0.3, 0.9], body: [0.95, 0.05], related: [0.3, 0.9], teaser: [0.5, 0.1], blank: [0, 0],
  };
  return {
    posteriors: kinds.map((k) => labelled(look[k][0])),
    naturalClasses: kinds.map((k) => voted(look[k][1])),
    blank: kinds.map((k) => k === 'blank'),
  };
}

const repeat = (kind: Kind, n: number): Kind[] => Array.from({ length: n }, () => kind);

/** Chrome, the headline, the article, then a river of related stories; or, one page in five, no article. */
function training(i: number): StartExample {
  if (i % 5 === 4) return { ...pageOf([...repeat('menu', 6 + (i % 4)), 'related', 'teaser', ...repeat('menu', 3)]), start: -1 };
  const kinds: Kind[] = [...repeat('menu', 3 + (i % 5)), 'headline', ...repeat('body', 4 + (i % 3)), ...repeat('menu', 2), 'related', 'teaser', 'related', 'teaser', ...repeat('menu', 4)];
  return { ...pageOf(kinds), start: kinds.indexOf('headline') };
}

const pages = Array.from({ length: 60 }, (_, i) => training(i));
const params = fitArticleStart(pages, at);

describe('the article-start pass', () => {
  test('it makes the page\'s own headline content, and leaves every other block as it was', () => {
    const kinds: Kind[] = [...repeat('menu', 5), 'blank', 'headline', ...repeat('body', 5), 'menu', 'related', 'teaser', ...repeat('menu', 2)];
    const page = pageOf(kinds);
    const after = applyArticleStart(params, page, at);
    const headline = kinds.indexOf('headline');
    expect(after[headline]![at.contentLabel]).toBeGreaterThan(START_THRESHOLD);
    after.forEach((p, t) => {
      if (t !== headline) expect(p).toEqual(page.posteriors[t]);
    });
    // Raised to content, the other labels keep their proportions.
    const [caption, , navigation] = page.posteriors[headline]!;
    expect(after[headline]![0]! / after[headline]![2]!).toBeCloseTo(caption! / navigation!, 12);
    expect(after[headline]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  test('on a page without an article it changes nothing', () => {
    const page = pageOf([...repeat('menu', 7), 'related', 'teaser', ...repeat('menu', 3)]);
    expect(applyArticleStart(params, page, at)).toEqual(page.posteriors);
  });

  test('a block already more likely content than the article starts there is left alone, and so is one below the threshold', () => {
    const kinds: Kind[] = [...repeat('menu', 4), 'headline', ...repeat('body', 5), ...repeat('menu', 2)];
    const page = pageOf(kinds);
    expect(applyArticleStart({ ...params, threshold: 0.999999 }, page, at)).toEqual(page.posteriors);
    const sure = { ...page, posteriors: page.posteriors.map((p, t) => (t === 4 ? labelled(0.9999999) : p)) };
    expect(applyArticleStart(params, sure, at)).toEqual(sure.posteriors);
  });

  test('the same pages give the same pass', () => {
    expect(fitArticleStart(pages, at)).toEqual(params);
    expect(params.weights).toHaveLength(9);
    expect(params.threshold).toBe(START_THRESHOLD);
  });

  test('of two blocks that look alike, it picks the one with the article after it', () => {
    // The related-story headline comes first here, and its teaser after it.
    const kinds: Kind[] = [...repeat('menu', 3), 'related', 'teaser', 'menu', 'headline', ...repeat('body', 6), ...repeat('menu', 2)];
    const after = applyArticleStart(params, pageOf(kinds), at);
    expect(after[kinds.indexOf('headline')]![at.contentLabel]).toBeGreaterThan(START_THRESHOLD);
    expect(after[kinds.indexOf('related')]![at.contentLabel]).toBe(0.3);
  });

  test('a model without the article\'s first-block class has no pass', () => {
    expect(startIndexes(labels, ['caption', 'content', 'navigation'])).toBeUndefined();
    expect(startIndexes(['caption', 'navigation'], ['caption', 'navigation'])).toBeUndefined();
    expect(at).toEqual({ contentLabel: 1, headClass: 2, contentClasses: [1, 2] });
  });
});
