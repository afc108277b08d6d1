import { isBlank, normalizeBlocks, segmentText } from '../../src/text/segment';
import { splitWords, tokenizeGluedWords, tokenizeWords } from '../../src/text/tokenize';

describe('segmentText', () => {
  test('one non-empty line is one block, in page order, with its text exactly as the line was', () => {
    const blocks = segmentText('Headline\n\n  • Read all stories\r\n   \nLast line');
    expect(blocks).toEqual([
      { index: 0, text: 'Headline' },
      { index: 1, text: '  • Read all stories' },
      { index: 2, text: 'Last line' },
    ]);
  });

  test('a trailing carriage return is stripped, other whitespace is kept', () => {
    expect(segmentText('a \r\nb\t\r\n')).toEqual([{ index: 0, text: 'a ' }, { index: 1, text: 'b\t' }]);
  });

  test('an empty or blank page has no blocks', () => {
    expect(segmentText('')).toEqual([]);
    expect(segmentText(' \n\t\r\n')).toEqual([]);
  });
});

describe('normalizeBlocks', () => {
  test("keeps every one of the caller's blocks, blank ones included", () => {
    const blocks = normalizeBlocks(['a', '  ', '', 'b']);
    expect(blocks.map((b) => b.index)).toEqual([0, 1, 2, 3]);
    expect(blocks.map(isBlank)).toEqual([false, true, true, false]);
  });
});

describe('tokenizeWords', () => {
  test.each([
    ['Größe der Straße', ['größe', 'der', 'straße']],
    ["L'été à Montréal, où l'État", ["l'été", 'à', 'montréal', 'où', "l'état"]],
    ['Não há publicidade: ¡Suscríbete!', ['não', 'há', 'publicidade', 'suscríbete']],
    ['Één kopje, più caffè', ['één', 'kopje', 'più', 'caffè']],
    ['Try 3 months for $9', ['try', '3', 'months', 'for', '9']],
  ])('%s', (text, expected) => {
    expect(tokenizeWords(text)).toEqual(expected);
  });

  test('decomposed accents are composed first, so both spellings give one token', () => {
    expect(tokenizeWords('cafe\u0301')).toEqual(tokenizeWords('café'));
  });

  test('splitWords keeps case; tokenizeGluedWords cuts glued UI words', () => {
    expect(splitWords('Eye IconIcon')).toEqual(['Eye', 'IconIcon']);
    expect(tokenizeGluedWords('IconIcon FacebookIcon LinkedinIcon')).toEqual(['icon', 'icon', 'facebook', 'icon', 'linkedin', 'icon']);
  });

  test('glued words are cut inside words only: apostrophes, digits and other scripts', () => {
    expect(tokenizeGluedWords("fooBar's l'État dOn't")).toEqual(['foo', "bar's", "l'état", 'd', "on't"]);
    expect(tokenizeGluedWords('ΑθήναΣήμερα PlayVideo02:14')).toEqual(['αθήνα', 'σήμερα', 'play', 'video02', '14']);
  });
});
