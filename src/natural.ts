/**
 * @module natural
 * The only importer of 'natural'. We load its BayesClassifier module alone, not the package
 * index: the index pulls in natural's storage backends, which call dotenv at load time. dotenv
 * then prints "injected env" lines to stdout (breaking JSON logs) and loads a .env from the
 * working directory into process.env (changing our config behind our back).
 */

// Defensive: should anything load natural's index after all, keep dotenv quiet.
process.env.DOTENV_CONFIG_QUIET ??= 'true';

/** natural's apparatus-backed counts: what a trained BayesClassifier knows. */
export interface ApparatusBayes {
  /** Per class, counts by feature index: an object, or an array (model/train.ts, trainSparse). */
  classFeatures: Record<string, Record<string, number> | number[]>;
  classTotals: Record<string, number>;
  totalExamples: number;
  smoothing: number;
  addExample(observation: number[] | Record<string, number>, label: string): void;
}

export interface NaturalBayesClassifier {
  classifier: ApparatusBayes;
  docs: { label: string; text: string[] }[];
  features: Record<string, number>;
  lastAdded: number;
  addDocument(tokens: string[], label: string): void;
  train(): void;
  classify(tokens: string[]): string;
  getClassifications(tokens: string[]): { label: string; value: number }[];
}

type BayesConstructor = new (stemmer?: unknown, smoothing?: number) => NaturalBayesClassifier;

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const BayesClassifier = require('natural/lib/natural/classifiers/bayes_classifier') as BayesConstructor;
