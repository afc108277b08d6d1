import { setImmediate as nextTurn } from 'node:timers/promises';
import { collectGarbage, collectGarbageSoon } from '../src/heap';

/**
 * A WeakRef to a fresh object that nothing else holds. V8 keeps a WeakRef's target alive until
 * the end of the job that made it, hence the turn of the event loop before anything is checked.
 */
async function weakGarbage(): Promise<WeakRef<object>> {
  const ref = new WeakRef({ payload: new Array(1000).fill('x') });
  await nextTurn();
  return ref;
}

describe('heap', () => {
  it('collectGarbage frees an object nothing holds, without leaving a global gc behind', async () => {
    const ref = await weakGarbage();
    expect(ref.deref()).toBeDefined();
    await nextTurn(); // deref() itself holds the target until the job ends
    collectGarbage();
    expect(ref.deref()).toBeUndefined();
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });

  it('collectGarbageSoon collects on the next turn, not at once', async () => {
    const ref = await weakGarbage();
    collectGarbageSoon();
    collectGarbageSoon(); // asked twice, it still runs once and must not throw
    expect(ref.deref()).toBeDefined();
    await nextTurn();
    await nextTurn();
    expect(ref.deref()).toBeUndefined();
  });
});
