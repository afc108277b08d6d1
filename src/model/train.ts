/**
 * @module model/train
 * Trains natural's BayesClassifier on labelled pages and extracts the model file. Pure: pages in,
 * model out; the same pages and options give the same model.
 */
import { BayesClassifier, type NaturalBayesClassifier } from '../natural';
import { DEFAULT_FEATURIZER_OPTIONS, FEATURIZER_VERSION, featurizePage, type FeaturizerOptions } from '../features/featurize';
import { normalizeBlocks } from '../text/segment';
import type { LabelledPage } from '../types';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, buildModelFile, type ModelFile } from './model-file';

export interface TrainOptions {
  readonly smoothing: number;
  readonly featurizer: FeaturizerOptions;
  readonly temperature: number;
}

/** Chosen by cross-validation on training-data/ (see README, "Accuracy"). */
export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  smoothing: 1,
  featurizer: DEFAULT_FEATURIZER_OPTIONS,
  temperature: 4,
};

/** Feature tokens and labels of every block of every page, in page order. */
export function featurizeCorpus(pages: readonly LabelledPage[], featurizer: FeaturizerOptions): { tokens: string[][]; labels: string[] }[] {
  return pages.map((page) => ({
    tokens: featurizePage(normalizeBlocks(page.blocks.map((b) => b.text)), featurizer),
    labels: page.blocks.map((b) => b.label),
  }));
}

/**
 * natural's train() turns each document into a dense vector over the whole vocabulary
 * (O(documents x vocabulary)). apparatus, which it delegates to, also takes a sparse observation
 * whose values are feature indexes, and counts exactly what the dense route counts; it just does
 * not bump the document totals on that route, so we do. A test pins this to natural's own train().
 */
export function trainSparse(classifier: NaturalBayesClassifier): void {
  const index = new Map(Object.keys(classifier.features).map((feature, i) => [feature, i]));
  const bayes = classifier.classifier;
  for (let d = classifier.lastAdded; d < classifier.docs.length; d++) {
    const doc = classifier.docs[d] as { label: string; text: string[] };
    const observation: Record<string, number> = {};
    let slot = 0;
    for (const token of new Set(doc.text)) observation[slot++] = index.get(token) as number;
    bayes.addExample(observation, doc.label);
    bayes.totalExamples++;
    (bayes.classTotals[doc.label] as number)++;
    classifier.lastAdded++;
  }
}

/** A natural BayesClassifier trained on the featurized corpus. */
export function trainNatural(corpus: readonly { tokens: string[][]; labels: string[] }[], smoothing: number): NaturalBayesClassifier {
  const classifier = new BayesClassifier(undefined, smoothing);
  for (const page of corpus) {
    page.tokens.forEach((tokens, i) => {
      // natural silently drops empty documents; a blank training block teaches nothing anyway.
      if (tokens.length > 0) classifier.addDocument(tokens, page.labels[i] as string);
    });
  }
  trainSparse(classifier);
  return classifier;
}

function countTransitions(corpus: readonly { labels: string[] }[], labels: readonly string[]): { startCounts: number[]; transitionCounts: number[][] } {
  const at = new Map(labels.map((l, i) => [l, i]));
  const startCounts = labels.map(() => 0);
  const transitionCounts = labels.map(() => labels.map(() => 0));
  for (const { labels: seq } of corpus) {
    seq.forEach((label, t) => {
      const j = at.get(label) as number;
      if (t === 0) startCounts[j] = (startCounts[j] as number) + 1;
      else {
        const row = transitionCounts[at.get(seq[t - 1] as string) as number] as number[];
        row[j] = (row[j] as number) + 1;
      }
    });
  }
  return { startCounts, transitionCounts };
}

export function trainModel(pages: readonly LabelledPage[], options: TrainOptions = DEFAULT_TRAIN_OPTIONS, trainedAt = new Date().toISOString()): ModelFile {
  const corpus = featurizeCorpus(pages, options.featurizer);
  const classifier = trainNatural(corpus, options.smoothing);
  const bayes = classifier.classifier;
  const labels = Object.keys(bayes.classFeatures).sort();
  const featureNames = Object.keys(classifier.features);

  // natural stores (documents + smoothing) per feature index; we store documents per feature name.
  const features: Record<string, number[]> = {};
  const byIndex = featureNames.map(() => labels.map(() => 0));
  labels.forEach((label, j) => {
    for (const [i, count] of Object.entries(bayes.classFeatures[label] as Record<string, number>)) {
      (byIndex[Number(i)] as number[])[j] = Math.round(count - bayes.smoothing);
    }
  });
  featureNames
    .map((name, i) => [name, byIndex[i] as number[]] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .forEach(([name, counts]) => { features[name] = counts; });

  return buildModelFile(
    {
      format: MODEL_FORMAT,
      formatVersion: MODEL_FORMAT_VERSION,
      featurizer: { version: FEATURIZER_VERSION, ...options.featurizer },
      labels,
      examplesPerLabel: Object.fromEntries(labels.map((l) => [l, (bayes.classTotals[l] as number) - 1])),
      vocabularySize: featureNames.length,
      smoothing: bayes.smoothing,
      totalExamples: bayes.totalExamples,
      classTotals: labels.map((l) => bayes.classTotals[l] as number),
      features,
      sequence: { temperature: options.temperature, ...countTransitions(corpus, labels) },
    },
    trainedAt,
  );
}
