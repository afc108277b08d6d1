import { parseLabelledPages } from '../../src/data/labelled-pages';

describe('parseLabelledPages', () => {
  test('reads one page per line, skipping blank lines', () => {
    const pages = parseLabelledPages('{"id":"a","lang":"de","blocks":[{"label":"content","text":"Hallo"}]}\n\n{"id":"b","blocks":[{"label":"icon","text":"x"}]}\n', 'f.jsonl');
    expect(pages.map((p) => p.id)).toEqual(['a', 'b']);
    expect(pages[0]).toEqual({ id: 'a', lang: 'de', blocks: [{ label: 'content', text: 'Hallo' }] });
  });

  test.each([
    ['{"id":"a","blocks":[', /f.jsonl:1: not valid JSON/],
    ['{"blocks":[{"label":"content","text":"x"}]}', /f.jsonl:1: "id" must be a non-empty string/],
    ['{"id":"a","blocks":[]}', /"blocks" must be a non-empty array/],
    ['{"id":"a","blocks":[{"label":"Content","text":"x"}]}', /blocks\[0\]\.label must be 1-64 characters/],
    ['{"id":"a","blocks":[{"label":"content","text":"  "}]}', /blocks\[0\]\.text must be one non-empty line/],
    ['{"id":"a","blocks":[{"label":"content","text":"a\\nb"}]}', /blocks\[0\]\.text must be one non-empty line/],
  ])('%s is refused with file:line', (line, message) => {
    expect(() => parseLabelledPages(line, 'f.jsonl')).toThrow(message);
  });
});
