/**
 * @module model/classes
 * The labels say what a block is; the classes the model learns are a little finer, because the same
 * label looks different in different places on a page.
 *
 * - natural is trained on **classes**: every label, except that `content` is split in three. The
 *   article's first block (almost always its headline: short, no full stop, near the top) becomes
 *   `content@head`, its other short lines (bylines, datelines, subheadings, ingredients, table
 *   cells: fewer than `shortContentWords` words) `content@short`, and the rest `content@body`.
 *   Pooled, the headline was outvoted by paragraphs and read like a related-story link; and a
 *   byline's words and shape have more in common with a menu line than with the paragraphs it
 *   was pooled with. Likewise `navigation` blocks of `proseNavigationWords` words or more (reader
 *   comments, author bios, other stories' ledes, cookie notices: prose where chrome sits) are
 *   `navigation@prose`, apart from the menu lines and links they were pooled with; and `caption`
 *   blocks of `proseCaptionWords` words or more (captions written as sentences: "A technician checks
 *   the seals on ...") are `caption@prose`, apart from the credit lines ("Photo: AP") they were
 *   pooled with, which share nothing with them but the label. (Each split was chosen by
 *   cross-validation: docs/accuracy-log.md. Models trained before a split lack its class, and still load.)
 * - The sequence pass runs over **states**: each class placed in a region of the page, before the
 *   article (its first `content` block), inside it, or after it (its last `content` block). A menu
 *   line before the article and a reader comment after it are both `navigation`, but what may follow
 *   them differs: once the article has ended, text rarely becomes article again, so long prose under
 *   a "Comments" heading stays `navigation`. Content classes are inside the article by definition.
 *
 * Labels may not contain "@" (data/labelled-pages.ts), so a class or state name never clashes with one.
 * Splitting the other labels' classes by region too scored 0.011 higher in cross-validation but lower
 * on the sixlabel-dev pages: it learns this corpus's templates (docs/accuracy-log.md).
 */
export const ARTICLE_LABEL = 'content';
/** The article's first block's class (model/article-start.ts reads natural's votes for it). */
export const HEAD = `${ARTICLE_LABEL}@head`;
const BODY = `${ARTICLE_LABEL}@body`;
const SHORT = `${ARTICLE_LABEL}@short`;
const NAVIGATION_LABEL = 'navigation';
const CAPTION_LABEL = 'caption';
const REGIONS = ['before', 'in', 'after'] as const;

export function labelOfClass(name: string): string {
  const at = name.indexOf('@');
  return at < 0 ? name : name.slice(0, at);
}

/** Where a label's blocks are split by length; 0 turns a split off (as in models trained before it). */
export interface ClassOptions {
  /** A `content` block (not the first) of fewer words than this is `content@short`. */
  readonly shortContentWords: number;
  /** A `navigation` block of at least this many words is `navigation@prose`. */
  readonly proseNavigationWords: number;
  /** A `caption` block of at least this many words is `caption@prose`. */
  readonly proseCaptionWords: number;
}

/** The labels split by length into a plain class and a `@prose` class, with the option that sets where. */
const PROSE_SPLITS: readonly (readonly [label: string, option: Exclude<keyof ClassOptions, 'shortContentWords'>])[] = [
  [NAVIGATION_LABEL, 'proseNavigationWords'],
  [CAPTION_LABEL, 'proseCaptionWords'],
];

/** The `@prose` class of a label, if the options split it. */
function proseSplitOf(label: string, options: ClassOptions): number {
  const split = PROSE_SPLITS.find(([l]) => l === label);
  return split ? options[split[1]] : 0;
}

/** The classes of a label set, sorted; a split that is off adds no class. */
export function classesOf(labels: readonly string[], options: ClassOptions): string[] {
  const content = options.shortContentWords > 0 ? [BODY, HEAD, SHORT] : [BODY, HEAD];
  return labels.flatMap((l) => {
    if (l === ARTICLE_LABEL) return content;
    return proseSplitOf(l, options) > 0 ? [l, `${l}@prose`] : [l];
  }).sort();
}

/** Every class set a model file may hold for these labels: with each split, or without it. */
export function possibleClassSets(labels: readonly string[]): string[][] {
  const onOff = [1, 0];
  return onOff.flatMap((short) => onOff.flatMap((navigation) => onOff.map((caption) =>
    classesOf(labels, { shortContentWords: short, proseNavigationWords: navigation, proseCaptionWords: caption }))));
}

const wordCount = (text: string): number => text.trim().split(/\s+/).length;

/** Each block's class on a labelled page (words are split on white space). */
export function classSequence(blocks: readonly { readonly label: string; readonly text: string }[], options: ClassOptions): string[] {
  const first = blocks.findIndex((b) => b.label === ARTICLE_LABEL);
  return blocks.map(({ label, text }, t) => {
    if (label === ARTICLE_LABEL) return t === first ? HEAD : wordCount(text) < options.shortContentWords ? SHORT : BODY;
    const proseWords = proseSplitOf(label, options);
    return proseWords > 0 && wordCount(text) >= proseWords ? `${label}@prose` : label;
  });
}

/** The sequence states of a class list, in a fixed order. */
export function statesOf(classes: readonly string[]): string[] {
  return classes.flatMap((c) => (labelOfClass(c) === ARTICLE_LABEL ? [c] : REGIONS.map((r) => `${c}@${r}`)));
}

/** Each block's state on a labelled page, from its class sequence. */
export function stateSequence(classes: readonly string[]): string[] {
  const inArticle = classes.map((c) => labelOfClass(c) === ARTICLE_LABEL);
  const first = inArticle.indexOf(true);
  const last = inArticle.lastIndexOf(true);
  return classes.map((c, t) => {
    if (inArticle[t]) return c;
    const region = first < 0 || t < first ? 'before' : t > last ? 'after' : 'in';
    return `${c}@${region}`;
  });
}

/** The class a state emits: the state name without its region. */
export function classOfState(state: string): string {
  return labelOfClass(state) === ARTICLE_LABEL ? state : state.slice(0, state.lastIndexOf('@'));
}
