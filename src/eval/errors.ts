/**
 * @module eval/errors
 * A sample of the blocks behind one cell of the confusion matrix, each with the blocks around it
 * (`npm run evaluate -- --errors content:navigation`). The figures say how often the model errs;
 * reading the errors is how a missing cue is found (the tail-credit slot came from reading
 * caption -> content errors; docs/accuracy-log.md).
 */
import type { Prediction } from './metrics';

/** How many errors are shown: evenly spaced over all of them, so the sample is the same every run. */
export const ERRORS_SHOWN = 20;

export interface ErrorExample {
  readonly page: string;
  readonly block: number;
  readonly text: string;
  /** The texts of the blocks just before and after it on the page as tested; null at either end. */
  readonly before: string | null;
  readonly after: string | null;
}

export interface ErrorSample {
  readonly truth: string;
  readonly predicted: string;
  /** Every block with that truth and that prediction. */
  readonly total: number;
  readonly shown: ErrorExample[];
}

export function errorSample(predictions: readonly Prediction[], truth: string, predicted: string, shown = ERRORS_SHOWN): ErrorSample {
  const hits = predictions.filter((p) => p.truth === truth && p.predicted === predicted && p.at !== undefined);
  const step = Math.max(1, hits.length / shown);
  const examples: ErrorExample[] = [];
  for (let i = 0; i < Math.min(shown, hits.length); i++) {
    const { page, block, texts } = (hits[Math.floor(i * step)] as Prediction).at as NonNullable<Prediction['at']>;
    examples.push({ page, block, text: texts[block] as string, before: texts[block - 1] ?? null, after: texts[block + 1] ?? null });
  }
  return { truth, predicted, total: hits.length, shown: examples };
}

/** The sample as lines of the table output. */
export function formatErrors(sample: ErrorSample): string {
  const clip = (text: string): string => JSON.stringify(text.length > 160 ? `${text.slice(0, 160)}…` : text);
  const lines = [`errors ${sample.truth} -> ${sample.predicted}: ${sample.total} blocks, ${sample.shown.length} shown (evenly spaced)`];
  for (const e of sample.shown) {
    lines.push(`  ${e.page} #${e.block}  ${clip(e.text)}`);
    lines.push(`      before: ${e.before === null ? '(start of page)' : clip(e.before)}`);
    lines.push(`      after:  ${e.after === null ? '(end of page)' : clip(e.after)}`);
  }
  return `${lines.join('\n')}\n`;
}
