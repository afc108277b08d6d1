/**
 * @module text/tokenize
 * Unicode-aware word tokens. natural's own tokenizer keeps only ASCII letters, so "Größe",
 * "publicité" and "não" would be cut into fragments or lost.
 */

// Letters, combining marks and digits; an apostrophe inside a word keeps it whole ("l'état", "don't").
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}]+)*/gu;

/** Word tokens in text order, case kept (capitalisation is evidence too). */
export function splitWords(text: string): string[] {
  return text.normalize('NFC').match(WORD) ?? [];
}

/** Lower-cased word tokens in text order. */
export function tokenizeWords(text: string): string[] {
  return splitWords(text.toLowerCase());
}
