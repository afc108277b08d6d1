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

/**
 * Like tokenizeWords, but glued UI words are cut where a lower-case letter meets an upper-case
 * one: "IconIcon FacebookIcon" gives icon, icon, facebook, icon, as the icons were labelled.
 */
export function tokenizeGluedWords(text: string): string[] {
  return tokenizeWords(text.replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2'));
}
