import { parseLabelledPages } from '../../src/data/labelled-pages';

describe('parseLabelledPages', () => {
  test('reads one page per line, skipping blank lines', () => {
    const pages = parseLabelledPages('{"id":"a","lang":"de","blocks":[{"label":"content","text":"Hallo"}]}\n\n{"id":"b","blocks":[{"label":"icon","text":"x"}]}\n', 'f.jsonl');
    expect(pages.map((p) => p.id)).toEqual(['a', 'b']);
    expect(pages[0]).toEqual({ id: 'a', lang: 'de', blocks: [{ label: 'content', text: 'Hallo' }] });
  });

  test('keeps the page flags wall and truncated', () => {
    const [page] = parseLabelledPages('{"id":"a","wall":true,"truncated":false,"blocks":[{"label":"paywall","text":"1 free article left"}]}', 'f.jsonl');
    expect(page).toMatchObject({ wall: true, truncated: false });
  });

  test.each([
    ['{"id":"a","blocks":[', /f.jsonl:1: not valid JSON/],
    ['{"blocks":[{"label":"content","text":"x"}]}', /f.jsonl:1: "id" must be a non-empty string/],
    ['{"id":"a","blocks":[]}', /"blocks" must be a non-empty array/],
    ['{"id":"a","blocks":[{"label":"Content","text":"x"}]}', /blocks\[0\]\.label must be 1-64 characters/],
    ['{"id":"a","blocks":[{"label":"content","text":"  "}]}', /blocks\[0\]\.text must be one non-empty line/],
    ['{"id":"a","blocks":[{"label":"content","text":"a\\nb"}]}', /blocks\[0\]\.text must be one non-empty line/],
    ['{"id":"a","wall":"yes","truncated":false,"blocks":[{"label":"content","text":"x"}]}', /"wall" must be true or false/],
    ['{"id":"a","wall":true,"blocks":[{"label":"content","text":"x"}]}', /both "wall" and "truncated", or neither/],
    ['{"id":"a","wall":false,"truncated":true,"blocks":[{"label":"content","text":"x"}]}', /only a wall cuts an article off/],
  ])('%s is refused with file:line', (line, message) => {
    expect(() => parseLabelledPages(line, 'f.jsonl')).toThrow(message);
  });
});
