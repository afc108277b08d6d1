/**
 * @module model/folds
 * Seeded k-fold splits of pages: used to fit calibration out of fold, and by the evaluation.
 */

/** mulberry32: a tiny seeded PRNG, enough for a reproducible shuffle. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Item indexes split into k folds after a seeded shuffle. */
export function foldsOf(count: number, k: number, seed: number): number[][] {
  const order = Array.from({ length: count }, (_, i) => i);
  const random = seededRandom(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return Array.from({ length: k }, (_, f) => order.filter((_, i) => i % k === f));
}
