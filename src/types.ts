/**
 * @module types
 * The data that flows through pagesift, in pipeline order: a page's text becomes blocks,
 * blocks become feature tokens, tokens become per-label scores and a label.
 */
/** One block of a page: a non-empty line, or one of the caller's own blocks. */
export interface Block {
  /** Position in the page, from 0. */
  readonly index: number;
  /** The text exactly as it arrived (not trimmed). */
  readonly text: string;
}

/** A block with its human label, as stored in training-data/. */
export interface LabelledBlock {
  readonly label: string;
  readonly text: string;
}

/** One line of a labelled-page JSONL file (the format of ../shared/examples/seed-page.json). */
export interface LabelledPage {
  readonly id: string;
  readonly lang?: string;
  /** The page shows a prompt that gates reading (optional: the page verdict learns from pages that have both flags). */
  readonly wall?: boolean;
  /** The article in the page's text is cut off by the wall. */
  readonly truncated?: boolean;
  readonly blocks: readonly LabelledBlock[];
}

/** Probability of every label of the model; sums to 1. */
export type Scores = Record<string, number>;

export interface BlockResult {
  readonly index: number;
  readonly text: string;
  readonly label: string;
  readonly confidence: number;
  readonly scores: Scores;
}

/** The page-level answer (model/page-verdict.ts). */
export interface PaywallVerdict {
  /** The page shows a prompt that gates reading. */
  readonly wall: boolean;
  /** The article in this text is cut off by the wall. */
  readonly truncated: boolean;
  /** Probability of this (wall, truncated) answer. */
  readonly confidence: number;
  /** Indexes of the blocks it rests on: the paywall blocks, and the last article paragraph when truncated. */
  readonly evidence: number[];
}

export interface PageResult {
  readonly blocks: BlockResult[];
  /** Is there a wall, and did it cut the article off (model/page-verdict.ts); null for a model without a page verdict. */
  readonly paywall: PaywallVerdict | null;
  /** The content blocks joined by "\n". */
  readonly content: string;
  /** Block count per label; every label of the model is present. */
  readonly summary: Record<string, number>;
}
