/**
 * @module data/labelled-pages
 * Reads labelled-page JSONL files (training-data/*.jsonl): one page per line. Errors cite
 * file:line and say what was expected, so a bad line in a 300-page corpus is found at once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PagesiftError, describeValue } from '../errors';
import type { LabelledBlock, LabelledPage } from '../types';

/** Labels are data, but must be safe names: 1-64 of a-z, 0-9, "_" and "-". */
export const LABEL_PATTERN = /^[a-z0-9_-]{1,64}$/;

/**
 * A label keys plain objects (scores, counts, natural's class tables), so it may not be the name of
 * anything an object inherits: "__proto__" would be dropped and "constructor" would be found on
 * every object.
 */
export function isValidLabel(label: unknown): label is string {
  return typeof label === 'string' && LABEL_PATTERN.test(label) && !(label in Object.prototype);
}

export const LABEL_RULE = '1-64 characters of a-z, 0-9, "_" or "-", and not a name every object has (such as "__proto__" or "constructor")';

function fail(where: string, message: string): never {
  throw new PagesiftError('training_data_invalid', `${where}: ${message}`);
}

/** Validates one parsed page; `where` is "file:line" for messages. */
export function validateLabelledPage(value: unknown, where: string): LabelledPage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, `a page must be an object, found ${describeValue(value)}`);
  const page = value as Record<string, unknown>;
  if (typeof page.id !== 'string' || page.id === '') fail(where, `"id" must be a non-empty string, found ${describeValue(page.id)}`);
  if (page.lang !== undefined && typeof page.lang !== 'string') fail(where, `"lang" must be a string, found ${describeValue(page.lang)}`);
  if (!Array.isArray(page.blocks) || page.blocks.length === 0) fail(where, `"blocks" must be a non-empty array, found ${describeValue(page.blocks)}`);
  const blocks: LabelledBlock[] = page.blocks.map((b: unknown, i: number) => {
    const block = (typeof b === 'object' && b !== null ? b : {}) as Record<string, unknown>;
    if (!isValidLabel(block.label)) fail(where, `blocks[${i}].label must be ${LABEL_RULE}, found ${describeValue(block.label)}`);
    if (typeof block.text !== 'string' || block.text.trim() === '' || /[\r\n]/.test(block.text)) {
      fail(where, `blocks[${i}].text must be one non-empty line, found ${describeValue(block.text)}`);
    }
    return { label: block.label, text: block.text };
  });
  for (const flag of ['wall', 'truncated'] as const) {
    if (page[flag] !== undefined && typeof page[flag] !== 'boolean') fail(where, `"${flag}" must be true or false, found ${describeValue(page[flag])}`);
  }
  if ((page.wall === undefined) !== (page.truncated === undefined)) fail(where, 'give both "wall" and "truncated", or neither');
  if (page.truncated === true && page.wall !== true) fail(where, '"truncated" is true but "wall" is not: only a wall cuts an article off');
  return {
    id: page.id,
    ...(typeof page.lang === 'string' ? { lang: page.lang } : {}),
    ...(typeof page.wall === 'boolean' ? { wall: page.wall, truncated: page.truncated as boolean } : {}),
    blocks,
  };
}

export function parseLabelledPages(jsonl: string, file: string): LabelledPage[] {
  const pages: LabelledPage[] = [];
  jsonl.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (cause) {
      throw new PagesiftError('training_data_invalid', `${where}: not valid JSON (${(cause as Error).message})`, { cause });
    }
    pages.push(validateLabelledPage(value, where));
  });
  return pages;
}

export function readLabelledPages(file: string): LabelledPage[] {
  return parseLabelledPages(fs.readFileSync(file, 'utf8'), file);
}

/** Every *.jsonl under a directory, in sorted path order so training is deterministic. Page ids must be unique. */
export function readLabelledDir(dir: string): LabelledPage[] {
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => path.join(dir, f));
  if (files.length === 0) throw new PagesiftError('training_data_invalid', `${dir}: no .jsonl files`);
  const pages = files.flatMap(readLabelledPages);
  const seen = new Set<string>();
  for (const page of pages) {
    if (seen.has(page.id)) throw new PagesiftError('training_data_invalid', `${dir}: page id "${page.id}" appears twice`);
    seen.add(page.id);
  }
  return pages;
}
