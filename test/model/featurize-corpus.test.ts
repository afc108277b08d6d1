/**
 * Contract: featurizing a corpus on two threads gives every block the very tokens, in the very
 * order, that featurizing each page on its own gives, so a model does not depend on the helper.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readLabelledDir } from '../../src/data/labelled-pages';
import { DEFAULT_FEATURIZER_OPTIONS } from '../../src/features/featurize';
import { featurizeCorpus, featurizePart, featurizeTexts, startFeaturizeHelper } from '../../src/model/featurize-corpus';
import { withClasses } from '../../src/model/train';
import { TRAINING_DATA } from '../helpers/app';

const pages = readLabelledDir(TRAINING_DATA).slice(0, 60).map((p) => withClasses(p));
const own = pages.map((p) => featurizeTexts(p.blocks.map((b) => b.text), DEFAULT_FEATURIZER_OPTIONS));

describe('featurizeCorpus', () => {
  test('with a helper thread, every block has the tokens featurizing its page alone gives', () => {
    const corpus = featurizeCorpus(pages, DEFAULT_FEATURIZER_OPTIONS, true);
    expect(corpus.pages.map((p) => p.tokens)).toEqual(own);
    // Every token is numbered in the corpus's features, in the order first seen.
    expect(corpus.pages.map((p) => p.ids.map((ids) => Array.from(ids, (id) => corpus.features[id])))).toEqual(own);
    expect(corpus.features).toEqual([...new Set(own.flat(2))]);
  });

  test('without one, the same tokens, classes and lengths', () => {
    const alone = featurizeCorpus(pages, DEFAULT_FEATURIZER_OPTIONS, false);
    const helped = featurizeCorpus(pages, DEFAULT_FEATURIZER_OPTIONS, true);
    expect(helped).toEqual(alone);
    expect(alone.pages.map((p) => p.classes)).toEqual(pages.map((p) => p.blocks.map((b) => b.label)));
    expect(alone.pages.map((p) => p.chars)).toEqual(pages.map((p) => p.blocks.map((b) => b.text.trim().length)));
  });

  test('the helper\'s answer, its tokens as numbers into the distinct ones, reads back as the tokens', () => {
    const part = featurizePart(pages.slice(30).map((p) => p.blocks.map((b) => b.text)), DEFAULT_FEATURIZER_OPTIONS);
    expect(new Set(part.distinct).size).toBe(part.distinct.length);
    let at = 0;
    let b = 0;
    const read = own.slice(30).map((page) => page.map(() => Array.from({ length: part.lengths[b++] as number }, () => part.distinct[part.ids[at++] as number])));
    expect(read).toEqual(own.slice(30));
    expect(at).toBe(part.ids.length);
  });

  test('a helper whose code fails to load is given up on, not waited for: the training thread featurizes its pages', () => {
    // Its `error` event cannot run while the training thread waits; before the start handshake this
    // waited out the 120 s limit.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pagesift-helper-'));
    try {
      const file = path.join(dir, 'broken-worker.js');
      fs.writeFileSync(file, "require('./no-such-module');\n");
      const helper = startFeaturizeHelper(pages.slice(30), DEFAULT_FEATURIZER_OPTIONS, file);
      expect(helper).toBeDefined();
      const asked = Date.now();
      expect(helper?.take()).toBeUndefined();
      // Not a speed figure: the wait is synchronous, so only this tells a 5 s start limit from the 120 s one.
      expect(Date.now() - asked).toBeLessThan(60_000);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);

  test('a helper that starts answers with its pages\' tokens', () => {
    const helper = startFeaturizeHelper(pages.slice(30), DEFAULT_FEATURIZER_OPTIONS);
    const part = helper?.take();
    expect(part).toEqual(featurizePart(pages.slice(30).map((p) => p.blocks.map((b) => b.text)), DEFAULT_FEATURIZER_OPTIONS));
  });
});
