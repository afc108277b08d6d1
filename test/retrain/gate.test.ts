/**
 * What a retrain trains: exactly the model that training from scratch on the corpus plus the stored
 * examples gives, whatever the examples hold (integer-like words, labels the corpus never had).
 */
import { readLabelledDir } from '../../src/data/labelled-pages';
import { serializeModel } from '../../src/model/model-file';
import { DEFAULT_TRAIN_OPTIONS, trainModel } from '../../src/model/train';
import type { StoredBatch } from '../../src/retrain/example-store';
import { examplePages, isHeldOut, retrainWithGate } from '../../src/retrain/gate';
import { TRAINING_DATA } from '../helpers/app';

const corpus = readLabelledDir(TRAINING_DATA).slice(0, 12);
const AT = '2026-02-02T00:00:00.000Z';
const batch = (seq: number, pages: StoredBatch['pages']): StoredBatch => ({ seq, key: null, digest: `d${seq}`, receivedAt: AT, pages });

const batches = [
  batch(1, [{ id: 'scores', blocks: [
    { label: 'navigation', text: '2019 2020 2021' },
    { label: 'content', text: 'In 2019 the club won 42 of its 50 matches, and 7 more in the cup.' },
    { label: 'comment', text: '12 replies: 2024 was better, 100 percent' },
  ] }]),
  batch(2, [{ id: 'example-0', blocks: [{ label: 'comment', text: '0 likes' }] }, { id: 'example-1', blocks: [{ label: 'comment', text: 'Reply to 99' }] }]),
];

describe('a retrain', () => {
  const { model, gate } = retrainWithGate({ corpus, batches, liveBatches: 0, options: DEFAULT_TRAIN_OPTIONS, trainedAt: AT });
  const scratch = trainModel([...corpus, ...examplePages(batches)], DEFAULT_TRAIN_OPTIONS, AT);

  test('gives exactly the model trained from scratch on the same data, integer-like words and a new label included', () => {
    expect(model.version).toBe(scratch.version);
    const { retrain, ...rest } = model;
    expect(serializeModel(rest)).toBe(serializeModel(scratch));
    expect(model.labels).toContain('comment');
    expect(model.examplesPerLabel.comment).toBe(3);
    expect(model.features['w:2019']).toEqual(scratch.features['w:2019']);
    expect(retrain).toEqual({ exampleBatches: 2, exampleBlocks: 5, corpusPages: 12, gate });
  });

  test('example pages keep ids of their own: a corpus page id or another batch\'s id never clashes', () => {
    const ids = examplePages([batch(1, [{ id: corpus[0]!.id, blocks: [{ label: 'icon', text: 'x' }] }]), batch(2, [{ id: corpus[0]!.id, blocks: [{ label: 'icon', text: 'x' }] }])]).map((p) => p.id);
    expect(new Set([...ids, corpus[0]!.id]).size).toBe(3);
  });

  test('the gate holds out the same pages every time, from the corpus and the examples alike', () => {
    const pages = readLabelledDir(TRAINING_DATA);
    const held = pages.filter(isHeldOut);
    expect(held.length / pages.length).toBeGreaterThan(0.12);
    expect(held.length / pages.length).toBeLessThan(0.28);
    expect(pages.filter(isHeldOut).map((p) => p.id)).toEqual(held.map((p) => p.id));
    expect(gate.heldOutPages).toBe([...corpus, ...examplePages(batches)].filter(isHeldOut).length);
  });

  test('with nothing new since the live model, both sides of the gate are the same recipe', () => {
    const same = retrainWithGate({ corpus, batches, liveBatches: 2, options: DEFAULT_TRAIN_OPTIONS, trainedAt: AT });
    expect(same.gate.liveMacroF1).toBe(same.gate.candidateMacroF1);
    expect(same.model.version).toBe(model.version);
  });
});
