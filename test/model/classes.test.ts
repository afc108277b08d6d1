/**
 * The classes natural learns and the states the sequence pass walks, from a page's labels.
 */
import { classSequence, classesOf, labelOfClass, stateSequence, statesOf } from '../../src/model/classes';
import { countTransitions } from '../../src/model/sequence';

const page = ['navigation', 'icon', 'content', 'content', 'caption', 'content', 'sponsored', 'navigation', 'navigation'];
/** The page's labels as blocks; every content line a paragraph of 12 words, unless `texts` says otherwise. */
const blocks = (labels: readonly string[], texts: Record<number, string> = {}) =>
  labels.map((label, t) => ({ label, text: texts[t] ?? 'one two three four five six seven eight nine ten eleven twelve' }));
const SPLITS = { shortContentWords: 5, proseNavigationWords: 20, proseCaptionWords: 20 };
const NO_SPLITS = { shortContentWords: 0, proseNavigationWords: 0, proseCaptionWords: 0 };
const classSequenceOf = (labels: readonly string[]): string[] => classSequence(blocks(labels), SPLITS);

describe('classes and states', () => {
  test('the article\'s first block is its own class; the other labels are their own class', () => {
    expect(classSequenceOf(page)).toEqual(['navigation', 'icon', 'content@head', 'content@body', 'caption', 'content@body', 'sponsored', 'navigation', 'navigation']);
    expect(classesOf(['caption', 'content', 'navigation'], SPLITS)).toEqual(['caption', 'caption@prose', 'content@body', 'content@head', 'content@short', 'navigation', 'navigation@prose']);
    expect(classesOf(['caption', 'content', 'navigation'], NO_SPLITS)).toEqual(['caption', 'content@body', 'content@head', 'navigation']);
    expect(classSequenceOf(page).map(labelOfClass)).toEqual(page);
  });

  test('a content line of fewer words than its limit, other than the first, is short; 0 means no short class', () => {
    const texts = { 2: 'Short headline', 3: 'By Jane Doe', 5: 'Five words is not short' };
    expect(classSequence(blocks(page, texts), SPLITS)).toEqual(['navigation', 'icon', 'content@head', 'content@short', 'caption', 'content@body', 'sponsored', 'navigation', 'navigation']);
    expect(classSequence(blocks(page, texts), { ...SPLITS, shortContentWords: 0 })).toEqual(classSequenceOf(page));
  });

  test('a navigation line of at least its limit of words is prose; 0 means no prose class', () => {
    const comment = 'I have lived on this road for twenty years and the traffic has never been this bad in summer, not even in festival week.';
    const texts = { 0: 'Home', 7: comment, 8: 'Reply' };
    expect(classSequence(blocks(page, texts), SPLITS)).toEqual(['navigation', 'icon', 'content@head', 'content@body', 'caption', 'content@body', 'sponsored', 'navigation@prose', 'navigation']);
    expect(classSequence(blocks(page, texts), { ...SPLITS, proseNavigationWords: 0 })[7]).toBe('navigation');
    expect(stateSequence(classSequence(blocks(page, texts), SPLITS))[7]).toBe('navigation@prose@after');
    expect(classSequence(blocks(page, texts), SPLITS).map(labelOfClass)).toEqual(page);
  });

  test('a caption of at least its limit of words is prose, a credit line is not; 0 means no prose class', () => {
    const texts = { 4: 'A volunteer lifts a crate of apples onto the trailer at the orchard gate.', 6: 'Photo: Lena Brandt' };
    const labels = ['navigation', 'icon', 'content', 'content', 'caption', 'content', 'caption', 'navigation'];
    const classes = classSequence(blocks(labels, texts), { ...SPLITS, proseCaptionWords: 6 });
    expect(classes[4]).toBe('caption@prose');
    expect(classes[6]).toBe('caption');
    expect(stateSequence(classes)[4]).toBe('caption@prose@in');
    expect(classes.map(labelOfClass)).toEqual(labels);
    expect(classSequence(blocks(labels, texts), { ...SPLITS, proseCaptionWords: 20 })[4]).toBe('caption');
    expect(classSequence(blocks(labels, texts), { ...SPLITS, proseCaptionWords: 0 })[4]).toBe('caption');
  });

  test('a block outside the article is placed before, inside or after it', () => {
    expect(stateSequence(classSequenceOf(page))).toEqual([
      'navigation@before', 'icon@before', 'content@head', 'content@body', 'caption@in', 'content@body', 'sponsored@after', 'navigation@after', 'navigation@after',
    ]);
  });

  test('a page with no article is all before it; a label with no content still has classes and states', () => {
    expect(stateSequence(classSequenceOf(['navigation', 'icon']))).toEqual(['navigation@before', 'icon@before']);
    expect(statesOf(classesOf(['comment', 'navigation'], { ...SPLITS, proseNavigationWords: 0 }))).toEqual(['comment@before', 'comment@in', 'comment@after', 'navigation@before', 'navigation@in', 'navigation@after']);
  });

  test('transitions are counted between states, and every state of the page is counted once', () => {
    const classes = classesOf([...new Set(page)].sort(), SPLITS);
    const { states, startCounts, transitionCounts } = countTransitions([classSequenceOf(page)], classes);
    expect(states).toEqual(statesOf(classes));
    expect(startCounts[states.indexOf('navigation@before')]).toBe(1);
    const from = (a: string, b: string): number => (transitionCounts[states.indexOf(a)] as number[])[states.indexOf(b)] as number;
    expect(from('navigation@after', 'navigation@after')).toBe(1);
    expect(from('content@body', 'sponsored@after')).toBe(1);
    expect(from('navigation@before', 'navigation@after')).toBe(0);
    expect(transitionCounts.flat().reduce((a, b) => a + b, 0)).toBe(page.length - 1);
  });
});
