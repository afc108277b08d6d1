import { placesOf, shinglePageOf, whereLost, type KeptPage } from '../../src/eval/where-lost';
import { shingleScore } from '../../src/eval/shingles';

const body1 = 'The harbour board met on Tuesday evening and voted to repair the old sea wall.';
const body2 = 'Work will start in October and the quay will stay open to boats throughout.';
const block = (text: string, content: boolean, kept: boolean, headline = false) => ({ text, content, kept, headline });

// One page with a mistake of every kind, each placed where eval/where-lost.ts says.
const page: KeptPage = {
  id: 'p1',
  truth: `${body1}\n${body2}`,
  blocks: [
    block('Trending now: ferry timetable changes for the spring season', false, true), // above the article
    block('Home News Sport', false, false),
    block('Board votes to mend sea wall', false, true, true), // the headline: never counted
    block('By Ada Lund, harbour reporter, on the evening of Tuesday', false, true), // header
    block(body1, true, true),
    block('Advertisement: fresh fish delivered to your door every morning', false, true), // inside
    block(body2, true, false), // missed
    block('More stories: lighthouse keeper retires after forty years of service', false, true), // below
  ],
};

describe('placesOf', () => {
  test('places each wrongly kept block above, at the head of, inside or below the article; the headline and right blocks not at all', () => {
    expect(placesOf(page)).toEqual(['before', undefined, undefined, 'header', undefined, 'inside', undefined, 'after']);
  });

  test('without a headline mark, the header is the unbroken run of kept blocks just above the article', () => {
    const unmarked: KeptPage = { truth: body1, blocks: [block('Menu', false, true), block('Search', false, false), block('By Ada Lund', false, true), block('5 min read', false, true), block(body1, true, true)] };
    expect(placesOf(unmarked)).toEqual(['before', undefined, 'header', 'header', undefined]);
  });

  test('on a page without article blocks every wrongly kept block is above it', () => {
    expect(placesOf({ truth: '', blocks: [block('Menu', false, true), block('Footer', false, false)] })).toEqual(['before', undefined]);
  });
});

describe('whereLost', () => {
  test('as kept is the benchmark figure of the kept text without headlines', () => {
    const kept = page.blocks.filter((b) => b.kept && !b.headline).map((b) => b.text).join('\n');
    expect(whereLost([page]).asKept).toEqual(shingleScore([{ kept, truth: page.truth }]));
    expect(shinglePageOf(page).kept).toBe(kept);
  });

  test('each part puts right only its own blocks: precision rises as wrong text goes, recall only when missed blocks are kept', () => {
    const { asKept, losses } = whereLost([page]);
    expect(losses.map((l) => [l.part, l.blocks])).toEqual([['before', 1], ['header', 1], ['inside', 1], ['after', 1], ['missed', 1]]);
    for (const loss of losses.slice(0, 4)) {
      expect(loss.score.precision).toBeGreaterThan(asKept.precision);
      expect(loss.score.recall).toBe(asKept.recall);
    }
    // (Not to 1: the ad between the two paragraphs still breaks the shingles that span them.)
    const missed = losses[4]!;
    expect(missed.score.recall).toBeGreaterThan(asKept.recall);
    expect(missed.score.precision).toBeGreaterThan(asKept.precision);
  });

  test('a page kept exactly right loses nothing anywhere', () => {
    const right: KeptPage = { truth: body1, blocks: [block('Menu', false, false), block(body1, true, true)] };
    const { asKept, losses } = whereLost([right]);
    expect(asKept.f1).toBe(1);
    for (const loss of losses) expect(loss).toMatchObject({ blocks: 0, score: asKept });
  });
});
