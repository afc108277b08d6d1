/**
 * @module text/segment
 * Stage 1 of the pipeline: page text or the caller's blocks become Block[].
 */
import type { Block } from '../types';

/**
 * One non-empty line is one block. A trailing "\r" is stripped (CRLF pages); lines holding only
 * whitespace are skipped. Each block keeps its line exactly, leading spaces included, because
 * "  • Read all stories" and "Read all stories" are different evidence.
 */
export function segmentText(text: string): Block[] {
  const blocks: Block[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.trim() === '') continue;
    blocks.push({ index: blocks.length, text: line });
  }
  return blocks;
}

/** The caller's own blocks: one Block each, same order, nothing dropped (blank ones included). */
export function normalizeBlocks(texts: readonly string[]): Block[] {
  return texts.map((text, index) => ({ index, text }));
}

/** A blank block carries no evidence; the sequence pass labels it from its neighbours. */
export function isBlank(block: Block): boolean {
  return block.text.trim() === '';
}
