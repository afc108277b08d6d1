/**
 * @module model/classes
 * The labels say what a block is; the classes the model learns are a little finer, because the same
 * label looks different in different places on a page.
 *
 * - natural is trained on **classes**: every label, except that `content` is split in two. The
 *   article's first block (almost always its headline: short, no full stop, near the top) becomes
 *   `content@head` and the rest `content@body`. Pooled, the headline was outvoted by paragraphs and
 *   read like a related-story link.
 * - The sequence pass runs over **states**: each class placed in a region of the page, before the
 *   article (its first `content` block), inside it, or after it (its last `content` block). A menu
 *   line before the article and a reader comment after it are both `navigation`, but what may follow
 *   them differs: once the article has ended, text rarely becomes article again, so long prose under
 *   a "Comments" heading stays `navigation`. Content classes are inside the article by definition.
 *
 * Labels may not contain "@" (data/labelled-pages.ts), so a class or state name never clashes with one.
 * Splitting the other labels' classes by region too scored 0.011 higher in cross-validation but lower
 * on the sixlabel-dev pages: it learns this corpus's templates (see the README, "Accuracy").
 */
export const ARTICLE_LABEL = 'content';
const HEAD = `${ARTICLE_LABEL}@head`;
const BODY = `${ARTICLE_LABEL}@body`;
const REGIONS = ['before', 'in', 'after'] as const;

export function labelOfClass(name: string): string {
  const at = name.indexOf('@');
  return at < 0 ? name : name.slice(0, at);
}

/** The classes of a label set, sorted. */
export function classesOf(labels: readonly string[]): string[] {
  return labels.flatMap((l) => (l === ARTICLE_LABEL ? [BODY, HEAD] : [l])).sort();
}

/** Each block's class on a labelled page. */
export function classSequence(labels: readonly string[]): string[] {
  const first = labels.indexOf(ARTICLE_LABEL);
  return labels.map((l, t) => (l !== ARTICLE_LABEL ? l : t === first ? HEAD : BODY));
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
