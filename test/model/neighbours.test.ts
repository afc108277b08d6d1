/**
 * The neighbour pass (model/neighbours.ts) on the shipped model: it gives a probability of every
 * label for every block, whatever the page's length, it weighs natural's own votes, and a model
 * without it (format 2) stops at the sequence pass, it reads the page up to 20 blocks away, and the
 * lengths and record-chain flags of the blocks up to two away; and fitted on pages, the output it
 * hands training for them is what applying it gives.
 */
import { readLabelledDir } from '../../src/data/labelled-pages';
import { decodeStages, type ScoredBlock } from '../../src/model/decode';
import { applyNeighbours, fitNeighbours } from '../../src/model/neighbours';
import { compileModel } from '../../src/model/runtime-model';
import { scoreFeatures } from '../../src/model/score';
import { featurizePage } from '../../src/features/featurize';
import { inRecordChain } from '../../src/features/records';
import { classifyBlocks } from '../../src/pipeline/classify';
import { normalizeBlocks } from '../../src/text/segment';
import { shippedModel, TRAINING_DATA } from '../helpers/app';

const pages = readLabelledDir(TRAINING_DATA).filter((_, i) => i % 40 === 0);

test('every block gets a probability of every label, summing to 1, on pages of 1 to 80 blocks', () => {
  const model = shippedModel();
  expect(model.file.neighbours).not.toBeNull();
  for (const page of pages) {
    for (const length of [1, 2, page.blocks.length]) {
      const result = classifyBlocks(normalizeBlocks(page.blocks.slice(0, length).map((b) => b.text)), model);
      expect(result.blocks).toHaveLength(Math.min(length, page.blocks.length));
      for (const block of result.blocks) {
        const sum = Object.values(block.scores).reduce((a, b) => a + b, 0);
        expect(sum).toBeCloseTo(1, 9);
        expect(block.confidence).toBe(Math.max(...Object.values(block.scores)));
      }
    }
  }
});

test('without a neighbour pass, the labels are the sequence pass\'s', () => {
  const model = shippedModel();
  const without = compileModel({ ...model.file, neighbours: null });
  for (const page of pages) {
    const blocks = normalizeBlocks(page.blocks.map((b) => b.text));
    expect(classifyBlocks(blocks, without).blocks.map((b) => b.scores)).toEqual(classifyBlocks(blocks, model, 'sequence').blocks.map((b) => b.scores));
  }
});

/** A page as the neighbour pass reads it (its blocks' stages up to the sequence pass), and what the pass makes of it. */
function neighbourStages(model: ReturnType<typeof shippedModel>, page: (typeof pages)[number]) {
  const blocks = normalizeBlocks(page.blocks.map((b) => b.text));
  const scored: ScoredBlock[] = featurizePage(blocks, model.file.featurizer).map((t, i) => (t.length === 0 ? undefined : { ...scoreFeatures(model.scoring, t), chars: blocks[i]!.text.trim().length, chain: inRecordChain(t) }));
  const stages = decodeStages(model, scored, 'sequence');
  return { blocks, stages, asIs: applyNeighbours(model.file.neighbours!, stages) };
}

/** A page long enough for blocks 20 away on either side of block 30. */
const longPage = (): (typeof pages)[number] => pages.find((p) => p.blocks.filter((b) => b.text.trim() !== '').length > 60)!;

test('it reads natural\'s own votes: the same page with natural\'s votes turned around gets other probabilities', () => {
  const model = shippedModel();
  expect(model.file.neighbours?.naturalReach).toBe(1);
  expect(model.file.neighbours?.naturalClasses).toBe(true);
  const { blocks, stages, asIs } = neighbourStages(model, pages[0]!);
  expect(asIs).toEqual(classifyBlocks(blocks, model).blocks.map((b) => Float64Array.from(model.file.labels, (l) => b.scores[l]!)));
  // Every block's vote reversed across the classes: the sequence pass's probabilities are the same.
  const turned = applyNeighbours(model.file.neighbours!, { ...stages, naturalClasses: stages.naturalClasses.map((p) => Float64Array.from(p).reverse()) });
  expect(turned).not.toEqual(asIs);
  // It reads the votes per class: the same votes summed per label, turned around, change nothing.
  const perLabel = applyNeighbours(model.file.neighbours!, { ...stages, natural: stages.natural.map((p) => Float64Array.from(p).reverse()) });
  expect(perLabel).toEqual(asIs);
});

test('it reads the page further off: blocks 3 to 20 away move a block\'s probabilities, blocks 21 away do not', () => {
  const model = shippedModel();
  const wide = model.file.neighbours!.wide!;
  expect(wide).toEqual([[3, 8], [9, 20]]);
  const { stages, asIs } = neighbourStages(model, longPage());
  const t = 30;
  // One block's probabilities turned around, `away` blocks after block t.
  const turnedAt = (away: number): Float64Array[] => applyNeighbours(model.file.neighbours!, {
    ...stages,
    posteriors: stages.posteriors.map((p, s) => (s === t + away ? Float64Array.from(p).reverse() : p)),
  });
  for (const away of [3, 8, 9, 20]) expect(turnedAt(away)[t]).not.toEqual(asIs[t]);
  expect(turnedAt(21)[t]).toEqual(asIs[t]);
});

/**
 * Block 30 of a long page, with one fact of the block `away` from it changed by `change` (its
 * probabilities and everything else the same): the pass reads that fact for blocks up to two away,
 * the block's own included, and not for a block three away.
 */
function expectReadsTwoAway(change: (stages: ReturnType<typeof neighbourStages>['stages'], at: number) => ReturnType<typeof neighbourStages>['stages']): void {
  const model = shippedModel();
  const { stages, asIs } = neighbourStages(model, longPage());
  const t = 30;
  const changedAt = (away: number): Float64Array[] => applyNeighbours(model.file.neighbours!, change(stages, t + away));
  for (const away of [-2, 0, 1, 2]) expect(changedAt(away)[t]).not.toEqual(asIs[t]);
  expect(changedAt(3)[t]).toEqual(asIs[t]);
}

test('it reads the blocks\' lengths: a block two away made longer moves a block\'s probabilities, one three away does not', () => {
  expect(shippedModel().file.neighbours!.lengthReach).toBe(2);
  // Ten times as long.
  expectReadsTwoAway((stages, at) => ({ ...stages, chars: stages.chars.map((c, s) => (s === at ? 10 * c + 10 : c)) }));
});

test('it reads the record-chain flags: a block two away put in a chain of stories moves a block\'s probabilities, one three away does not', () => {
  expect(shippedModel().file.neighbours!.chainReach).toBe(2);
  // The flag turned over.
  expectReadsTwoAway((stages, at) => ({ ...stages, chain: stages.chain.map((c, s) => (s === at ? !c : c)) }));
});

test('fitted on pages, it gives for them what it gives them when applied (training reads the fit\'s own output)', () => {
  const model = shippedModel();
  const fittedOn = pages.slice(0, 4).map((page) => ({
    ...neighbourStages(model, page).stages,
    labels: page.blocks.map((b) => model.file.labels.indexOf(b.label)),
  }));
  const fitted = fitNeighbours(fittedOn, model.file.labels.length, { iterations: 5, learningRate: 0.15, l2: 1e-4 });
  expect(fitted.posteriors).toHaveLength(fittedOn.length);
  fittedOn.forEach((page, i) => expect(fitted.posteriors[i]).toEqual(applyNeighbours(fitted.params, page)));
  // and it is a fit: not the shipped pass
  expect(fitted.params.weights).not.toEqual(model.file.neighbours!.weights);
});
