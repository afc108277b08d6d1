import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readLabelledDir } from '../../src/data/labelled-pages';
import { FEATURIZER_VERSION, featurizePage } from '../../src/features/featurize';
import { inRecordChain } from '../../src/features/records';
import { describeModel, modelVersion, parseModel, serializeModel } from '../../src/model/model-file';
import { readModel, writeModel } from '../../src/model/store';
import { compileModel } from '../../src/model/runtime-model';
import { scoreFeatures } from '../../src/model/score';
import { classifyBlocks } from '../../src/pipeline/classify';
import { normalizeBlocks } from '../../src/text/segment';
import { DEFAULT_TRAIN_OPTIONS, trainModel } from '../../src/model/train';
import { SHIPPED_MODEL, TRAINING_DATA } from '../helpers/app';
import { runCli } from '../helpers/run-cli';

const pages = readLabelledDir(TRAINING_DATA);
// Two pages with a wall among them, so the page verdict has both kinds to learn.
const small = [...pages.filter((p) => !p.wall).slice(0, 10), ...pages.filter((p) => p.wall).slice(0, 2)];
const AT = '2026-01-01T00:00:00.000Z';

describe('the model file', () => {
  test('the same data gives a byte-identical file', () => {
    expect(serializeModel(trainModel(small, DEFAULT_TRAIN_OPTIONS, AT))).toBe(serializeModel(trainModel(small, DEFAULT_TRAIN_OPTIONS, AT)));
  });

  test('it holds counts and metadata, not natural\'s training documents', () => {
    const model = trainModel(small, DEFAULT_TRAIN_OPTIONS, AT);
    expect(model).not.toHaveProperty('docs');
    expect(model.version).toMatch(/^[0-9a-f]{16}$/);
    expect(model.labels).toEqual([...model.labels].sort());
    expect(model.vocabularySize).toBe(Object.keys(model.features).length);
    const blocks = small.reduce((n, p) => n + p.blocks.length, 0);
    expect(Object.values(model.examplesPerLabel).reduce((a, b) => a + b, 0)).toBe(blocks);
  });

  test('a label in the data is a label of the model', () => {
    const withComment = [...small, { id: 'x', blocks: [{ label: 'comment', text: 'Great article, thanks!' }, { label: 'comment', text: 'I disagree with the author.' }] }];
    expect(trainModel(withComment, DEFAULT_TRAIN_OPTIONS, AT).labels).toContain('comment');
  });

  // The training command as a process, as a user retrains: a full run, 24 to 31 s on 1,231 pages on
  // a slow day. Inside jest's sandbox the same trainModel call took four times as long (114 s).
  test('the shipped model is up to date with training-data/ (run `npm run train` if this fails)', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pagesift-current-')), 'model.json');
    const res = runCli('cli/train.js', ['--out', out]);
    expect(res.status).toBe(0);
    expect(readModel(out).version).toBe(readModel(SHIPPED_MODEL).version);
  }, 240_000);

  test('writing a retrained model of the same data keeps the file byte-identical', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pagesift-model-'));
    const file = path.join(dir, 'model.json');
    writeModel(file, trainModel(small, DEFAULT_TRAIN_OPTIONS, AT));
    const first = fs.readFileSync(file, 'utf8');
    writeModel(file, trainModel(small, DEFAULT_TRAIN_OPTIONS, '2027-05-05T00:00:00.000Z'));
    expect(fs.readFileSync(file, 'utf8')).toBe(first);
    expect(fs.readdirSync(dir)).toEqual(['model.json']); // no temp file left behind
  });

  test('rewriting the same model keeps the recorded evaluation, and a damaged one is not kept', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pagesift-model-'));
    const file = path.join(dir, 'model.json');
    const model = trainModel(small, DEFAULT_TRAIN_OPTIONS, AT);
    const evaluation = { macroF1: 0.5, accuracy: 0.6, perLabel: {}, contentChars: {} } as never;
    fs.writeFileSync(file, serializeModel({ ...model, evaluation }));
    const rewritten = writeModel(file, { ...model, trainedAt: '2027-05-05T00:00:00.000Z' });
    expect(rewritten.trainedAt).toBe(AT);
    expect(readModel(file).evaluation).toEqual(evaluation);
    // The same version on its first line, but an evaluation that fails its check: the file is
    // replaced by the new model with its own training time, and it reads.
    fs.writeFileSync(file, serializeModel({ ...model, evaluation: { macroF1: 'high' } as never }));
    writeModel(file, { ...model, trainedAt: '2027-05-05T00:00:00.000Z' });
    expect(readModel(file).trainedAt).toBe('2027-05-05T00:00:00.000Z');
    expect(readModel(file).evaluation).toBeUndefined();
  });

  test('a model of other data replaces the file with its own training time', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pagesift-model-'));
    const file = path.join(dir, 'model.json');
    writeModel(file, trainModel(small, DEFAULT_TRAIN_OPTIONS, AT));
    const other = writeModel(file, trainModel(small.slice(1), DEFAULT_TRAIN_OPTIONS, '2027-05-05T00:00:00.000Z'));
    const written = readModel(file);
    expect(written.version).toBe(other.version);
    expect(written.version).not.toBe(trainModel(small, DEFAULT_TRAIN_OPTIONS, AT).version);
    expect(written.trainedAt).toBe('2027-05-05T00:00:00.000Z');
  });

  test('a compiled model keeps its counts packed, and written back its file has the same bytes and version', () => {
    const text = fs.readFileSync(SHIPPED_MODEL, 'utf8');
    const live = compileModel(readModel(SHIPPED_MODEL)).file;
    // What a retrain does with the live model before it activates another: save it as a version.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pagesift-packed-'));
    const saved = path.join(dir, 'live.json');
    fs.writeFileSync(saved, serializeModel(live));
    expect(fs.readFileSync(saved, 'utf8')).toBe(text);
    const reread = readModel(saved);
    expect(reread.version).toBe(live.version);
    const names = Object.keys(reread.features);
    expect(Object.keys(live.features)).toEqual(names);
    for (const name of [names[0], names[names.length >> 1], names[names.length - 1]] as string[]) {
      expect(live.features[name]).toEqual(reread.features[name]);
    }
    // The live file compiles again as it is (a retrained model is checked against it the same way),
    // to the same scores.
    const again = compileModel(live);
    expect(again.file.version).toBe(live.version);
    const tokens = names.filter((_, i) => i % 997 === 0);
    expect(scoreFeatures(again.scoring, tokens)).toEqual(scoreFeatures(compileModel(reread).scoring, tokens));
    // The scorer reads the live file's packed counts: one copy of them, not two.
    expect(again.scoring.counts).toBe(compileModel(live).scoring.counts);
  });
});

describe('loading validates every key', () => {
  const good = serializeModel(trainModel(small, DEFAULT_TRAIN_OPTIONS, AT));
  const edit = (change: (m: Record<string, any>) => void): string => {
    const m = JSON.parse(good) as Record<string, any>;
    change(m);
    return JSON.stringify(m);
  };

  test('a valid file loads', () => {
    expect(parseModel(good).version).toBe(JSON.parse(good).version);
  });

  test('a format 2 file (before the page verdict) still loads, without a verdict', () => {
    const { version: _v, trainedAt, page: _p, neighbours: _n, start: _s, ...body } = JSON.parse(good) as Record<string, any>;
    const old = { ...body, formatVersion: 2 };
    const file = JSON.stringify({ ...old, version: modelVersion(old as never), trainedAt });
    expect(parseModel(file)).toMatchObject({ page: null, neighbours: null });
    expect(() => parseModel(file.replace('"formatVersion":2', '"formatVersion":3'))).toThrow(/"neighbours"|"page"|hashes to/);
    // A format 2 file cannot carry the article-start pass either.
    const withStart = { ...old, start: JSON.parse(good).start };
    expect(() => parseModel(JSON.stringify({ ...withStart, version: modelVersion(withStart as never), trainedAt }))).toThrow(/"start"/);
  });

  test('a model trained without the length-split classes (as before them) loads and labels pages', () => {
    const before = trainModel(small, { ...DEFAULT_TRAIN_OPTIONS, classes: { shortContentWords: 0, proseNavigationWords: 0, proseCaptionWords: 0 } }, AT);
    expect(before.classes).not.toContain('content@short');
    expect(before.classes).not.toContain('navigation@prose');
    expect(before.classes).not.toContain('caption@prose');
    const loaded = parseModel(serializeModel(before));
    const result = classifyBlocks(normalizeBlocks(small[0]!.blocks.map((b) => b.text)), compileModel(loaded));
    expect(result.blocks.map((b) => b.label).every((l) => loaded.labels.includes(l))).toBe(true);
    expect(JSON.parse(good).classes).toEqual(expect.arrayContaining(['content@short', 'navigation@prose', 'caption@prose']));
  });

  test('a file written before the neighbour reach was stored loads, and reads one block on either side', () => {
    const { version: _v, trainedAt, ...body } = JSON.parse(good) as Record<string, any>;
    expect(body.neighbours.reach).toBe(2);
    // The middle three of the five blocks' inputs: the layout a one-block reach has.
    const width = body.labels.length + 1;
    const middle = (row: number[]): number[] => row.slice(width, 4 * width);
    const { reach: _r, mean, scale, weights, bias } = body.neighbours;
    const old = { ...body, neighbours: { mean: middle(mean), scale: middle(scale), weights: weights.map(middle), bias } };
    const loaded = parseModel(JSON.stringify({ ...old, version: modelVersion(old as never), trainedAt }));
    expect(loaded.neighbours).not.toHaveProperty('reach');
    const page = normalizeBlocks(small[0]!.blocks.map((b) => b.text));
    for (const block of classifyBlocks(page, compileModel(loaded)).blocks) {
      expect(Object.values(block.scores).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    }
  });

  /**
   * The model file with the last `count` inputs of the neighbour pass and the field that asked for
   * them taken out: the file as it was before the pass read them. Each newer kind of input comes
   * after the older ones, so they come off newest first.
   */
  const withoutLast = (body: Record<string, any>, field: string, count: number): Record<string, any> => {
    const rest = (row: number[]): number[] => row.slice(0, row.length - count);
    const { [field]: _f, mean, scale, weights, ...others } = body.neighbours;
    return { ...body, neighbours: { ...others, mean: rest(mean), scale: rest(scale), weights: weights.map(rest) } };
  };
  /** Before the record-chain flags. */
  const withoutChains = (body: Record<string, any>): Record<string, any> => withoutLast(body, 'chainReach', 2 * body.neighbours.chainReach + 1);
  /** Before the blocks' lengths (and so before the flags). */
  const withoutLengths = (full: Record<string, any>): Record<string, any> => {
    const body = withoutChains(full);
    return withoutLast(body, 'lengthReach', 2 * body.neighbours.lengthReach + 1);
  };
  /** Before the page further off (and so before lengths and flags). */
  const withoutWide = (full: Record<string, any>): Record<string, any> => {
    const body = withoutLengths(full);
    return withoutLast(body, 'wide', 2 * body.neighbours.wide.length * body.labels.length);
  };

  /**
   * `old` (a body cut down from the good file) loads without `field`, and reads `page` otherwise than
   * the good file does, still a probability of every label for every block.
   */
  const expectOlderFileReadsOtherwise = (old: Record<string, any>, trainedAt: string, field: string, texts: readonly string[]): void => {
    const loaded = parseModel(JSON.stringify({ ...old, version: modelVersion(old as never), trainedAt }));
    expect(loaded.neighbours).not.toHaveProperty(field);
    const page = normalizeBlocks(texts);
    const scoresOf = (file: ReturnType<typeof parseModel>) => classifyBlocks(page, compileModel(file), 'neighbours').blocks.map((b) => b.scores);
    const before = scoresOf(loaded);
    expect(before).not.toEqual(scoresOf(parseModel(good)));
    for (const scores of before) expect(Object.values(scores).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  };
  const textsOf = (page: (typeof small)[number]): string[] => page.blocks.map((b) => b.text);

  test('a file written before the neighbour pass read the record-chain flags loads, and labels pages from the other inputs', () => {
    const { version: _v, trainedAt, ...body } = JSON.parse(good) as Record<string, any>;
    expect(body.neighbours.chainReach).toBe(2);
    // A page with a list of other stories under its article.
    const listed = small.find((p) => featurizePage(normalizeBlocks(textsOf(p)), body.featurizer).some(inRecordChain))!;
    expectOlderFileReadsOtherwise(withoutChains(body), trainedAt, 'chainReach', textsOf(listed));
  });

  test('a file written before the neighbour pass read the blocks\' lengths loads, and labels pages from the other inputs', () => {
    const { version: _v, trainedAt, ...body } = JSON.parse(good) as Record<string, any>;
    expect(body.neighbours.lengthReach).toBe(2);
    expectOlderFileReadsOtherwise(withoutLengths(body), trainedAt, 'lengthReach', textsOf(small[0]!));
  });

  test('a file written before the neighbour pass read the page further off loads, and labels pages from the nearer inputs', () => {
    const { version: _v, trainedAt, ...body } = JSON.parse(good) as Record<string, any>;
    expect(body.neighbours.wide).toEqual([[3, 8], [9, 20]]);
    // A page long enough for blocks 20 away.
    expectOlderFileReadsOtherwise(withoutWide(body), trainedAt, 'wide', textsOf(small.find((p) => p.blocks.length > 60)!));
  });

  test('a file written before the neighbour pass read natural\'s votes loads, and labels pages from the other inputs', () => {
    const { version: _v, trainedAt, ...full } = JSON.parse(good) as Record<string, any>;
    const body = withoutWide(full);
    expect(body.neighbours.naturalReach).toBe(1);
    // natural's class probabilities are the last inputs: one per class, for each of three blocks.
    const before = (row: number[]): number[] => row.slice(0, row.length - 3 * body.classes.length);
    const { naturalReach: _n, naturalClasses: _c, mean, scale, weights, ...rest } = body.neighbours;
    const old = { ...body, neighbours: { ...rest, mean: before(mean), scale: before(scale), weights: weights.map(before) } };
    const loaded = parseModel(JSON.stringify({ ...old, version: modelVersion(old as never), trainedAt }));
    expect(loaded.neighbours).not.toHaveProperty('naturalReach');
    const page = normalizeBlocks(small[0]!.blocks.map((b) => b.text));
    for (const block of classifyBlocks(page, compileModel(loaded)).blocks) {
      expect(Object.values(block.scores).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    }
  });

  test('a file written before the neighbour pass read natural\'s votes per class loads, and reads them per label', () => {
    const { version: _v, trainedAt, ...full } = JSON.parse(good) as Record<string, any>;
    const body = withoutWide(full);
    expect(body.neighbours.naturalClasses).toBe(true);
    // In place of one input per class for each of three blocks, one per label.
    const perLabel = (row: number[], fill: number): number[] => [...row.slice(0, row.length - 3 * body.classes.length), ...Array(3 * body.labels.length).fill(fill)];
    const { naturalClasses: _c, mean, scale, weights, ...rest } = body.neighbours;
    const old = { ...body, neighbours: { ...rest, mean: perLabel(mean, 0), scale: perLabel(scale, 1), weights: weights.map((w: number[]) => perLabel(w, 0.5)) } };
    const loaded = parseModel(JSON.stringify({ ...old, version: modelVersion(old as never), trainedAt }));
    expect(loaded.neighbours).not.toHaveProperty('naturalClasses');
    const page = normalizeBlocks(small[0]!.blocks.map((b) => b.text));
    for (const block of classifyBlocks(page, compileModel(loaded)).blocks) {
      expect(Object.values(block.scores).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    }
  });

  test('a file written before the article-start pass loads, and labels pages as the neighbour pass leaves them', () => {
    const { version: _v, trainedAt, start, ...body } = JSON.parse(good) as Record<string, any>;
    expect(Object.keys(start).sort()).toEqual(['mean', 'none', 'scale', 'threshold', 'weights']);
    const loaded = parseModel(JSON.stringify({ ...body, version: modelVersion(body as never), trainedAt }));
    expect(loaded).not.toHaveProperty('start');
    // GET /v1/model says which of the two a model is.
    expect(describeModel(loaded).articleStart).toBe(false);
    expect(describeModel(parseModel(good)).articleStart).toBe(true);
    const page = normalizeBlocks(small[1]!.blocks.map((b) => b.text));
    const labelsOf = (result: ReturnType<typeof classifyBlocks>): string[] => result.blocks.map((b) => b.label);
    expect(labelsOf(classifyBlocks(page, compileModel(loaded)))).toEqual(labelsOf(classifyBlocks(page, compileModel(parseModel(good)), 'neighbours')));
  });

  test.each([
    ['not JSON', () => '{"format":', /not JSON/],
    ['another format', () => edit((m) => { m.format = 'other'; }), /"format"/],
    ['a newer format version', () => edit((m) => { m.formatVersion = 99; }), /"formatVersion"/],
    ['another featurizer', () => edit((m) => { m.featurizer.version = FEATURIZER_VERSION + 1; }), /"featurizer.version"/],
    ['a missing key', () => edit((m) => { delete m.classTotals; }), /"classTotals"/],
    ['a count of the wrong length', () => edit((m) => { const k = Object.keys(m.features)[0] as string; m.features[k] = [1]; }), /"features\./],
    // The scorer keeps a log for every possible count (model/score.ts): a count past the class's total would size that table.
    ['a count above its class\'s total', () => edit((m) => { const k = Object.keys(m.features)[0] as string; m.features[k][0] = m.classTotals[0] + 1; }), /"features\..*at most their class's total/],
    ['a page verdict count above its class\'s total', () => edit((m) => { const k = Object.keys(m.page.wall.features)[0] as string; m.page.wall.features[k][1] = 1e9; }), /"page.wall.features\./],
    ['a negative smoothing', () => edit((m) => { m.smoothing = -1; }), /"smoothing"/],
    ['classes that are not the labels\' classes', () => edit((m) => { m.classes = m.labels; }), /"classes"/],
    ['sequence states that are not the classes\' states', () => edit((m) => { m.sequence.states = m.sequence.states.slice(1); }), /"sequence.states"/],
    ['a neighbour pass of the wrong size', () => edit((m) => { m.neighbours.mean = m.neighbours.mean.slice(1); }), /"neighbours.mean"/],
    ['a neighbour reach that is not a small whole number', () => edit((m) => { m.neighbours.reach = 2.5; }), /"neighbours.reach"/],
    ['a neighbour reach its weights do not fit', () => edit((m) => { m.neighbours.reach = 1; }), /"neighbours.mean"/],
    ['a reach of natural\'s votes that is not a small whole number', () => edit((m) => { m.neighbours.naturalReach = true; }), /"neighbours.naturalReach"/],
    ['a reach of natural\'s votes its weights do not fit', () => edit((m) => { m.neighbours.naturalReach = 0; }), /"neighbours.mean"/],
    ['a neighbour pass without the inputs for natural\'s votes', () => edit((m) => { delete m.neighbours.naturalReach; delete m.neighbours.naturalClasses; }), /"neighbours.mean"/],
    ['votes per class without a reach of natural\'s votes', () => edit((m) => { delete m.neighbours.naturalReach; }), /"neighbours.naturalClasses"/],
    ['votes per class that is not true', () => edit((m) => { m.neighbours.naturalClasses = 'yes'; }), /"neighbours.naturalClasses"/],
    ['votes per label where its weights read them per class', () => edit((m) => { delete m.neighbours.naturalClasses; }), /"neighbours.mean"/],
    ['wide ranges that are not ranges', () => edit((m) => { m.neighbours.wide = [[8, 3], [9, 20]]; }), /"neighbours.wide"/],
    ['wide ranges inside the reach', () => edit((m) => { m.neighbours.wide = [[1, 8], [9, 20]]; }), /"neighbours.wide"/],
    ['wide ranges its weights do not fit', () => edit((m) => { m.neighbours.wide = [[3, 8]]; }), /"neighbours.mean"/],
    ['a neighbour pass without the inputs for its wide ranges', () => edit((m) => { delete m.neighbours.wide; }), /"neighbours.mean"/],
    ['a length reach that is not a small whole number', () => edit((m) => { m.neighbours.lengthReach = -1; }), /"neighbours.lengthReach"/],
    ['a length reach its weights do not fit', () => edit((m) => { m.neighbours.lengthReach = 1; }), /"neighbours.mean"/],
    ['a neighbour pass without the inputs for the blocks\' lengths', () => edit((m) => { delete m.neighbours.lengthReach; }), /"neighbours.mean"/],
    ['a chain reach that is not a small whole number', () => edit((m) => { m.neighbours.chainReach = 'two'; }), /"neighbours.chainReach"/],
    ['a chain reach its weights do not fit', () => edit((m) => { m.neighbours.chainReach = 3; }), /"neighbours.mean"/],
    ['an article-start pass of the wrong size', () => edit((m) => { m.start.weights = m.start.weights.slice(1); }), /"start.weights"/],
    ['an article-start threshold that is not a probability', () => edit((m) => { m.start.threshold = 1; }), /"start.threshold"/],
    ['an article-start pass without its "none" score', () => edit((m) => { delete m.start.none; }), /"start.none"/],
    ['a page verdict with other classes', () => edit((m) => { m.page.wall.classes = ['yes', 'no']; }), /"page.wall.classes"/],
    ['a changed count (hash mismatch)', () => edit((m) => { const k = Object.keys(m.features)[0] as string; m.features[k][0] += 1; }), /hashes to/],
  ])('%s is refused with a model_invalid error naming it', (_name, make, message) => {
    expect(() => parseModel(make())).toThrow(expect.objectContaining({ code: 'model_invalid', message: expect.stringMatching(message) }));
  });
});
