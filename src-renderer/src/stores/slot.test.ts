import { describe, expect, it } from 'vitest';
import { emptySlot, slotFetcher, type Slot } from './slot';

function harness() {
  let slot: Slot<string, number> = emptySlot();
  const writes: Slot<string, number>[] = [];
  const fetcher = slotFetcher<string, number>(
    () => slot,
    (s) => {
      slot = s;
      writes.push(s);
    },
  );
  return { fetcher, writes, get: () => slot };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('slotFetcher', () => {
  it('marks the slot loading, then writes the answer with its key', async () => {
    const h = harness();
    const d = deferred<number>();
    const done = h.fetcher.load('a', () => d.promise);
    expect(h.get()).toMatchObject({ loading: true, error: null, data: null });
    d.resolve(7);
    await expect(done).resolves.toBe(7);
    expect(h.get()).toEqual({ key: 'a', data: 7, loading: false, error: null });
  });

  it('keeps the data it had when a fetch fails, and says why', async () => {
    const h = harness();
    await h.fetcher.load('a', async () => 1);
    await expect(h.fetcher.load('a', () => Promise.reject(new Error('hub gone')))).resolves.toBeNull();
    expect(h.get()).toMatchObject({ key: 'a', data: 1, loading: false });
    expect(h.get().error?.message).toContain('hub gone');
  });

  it('lets the newest fetch win even when an older one answers last', async () => {
    const h = harness();
    const old = deferred<number>();
    const first = h.fetcher.load('old', () => old.promise);
    await h.fetcher.load('new', async () => 2);
    old.resolve(1);
    await expect(first).resolves.toBeNull();
    expect(h.get()).toMatchObject({ key: 'new', data: 2 });
  });

  it('drops answers after invalidate, and when the caller no longer wants them', async () => {
    const h = harness();
    const d = deferred<number>();
    const pending = h.fetcher.load('a', () => d.promise);
    h.fetcher.invalidate();
    d.resolve(1);
    await expect(pending).resolves.toBeNull();
    await expect(h.fetcher.load('b', async () => 2, { wanted: () => false })).resolves.toBeNull();
    expect(h.get().data).toBeNull();
  });

  it('a quiet fetch does not flag loading', async () => {
    const h = harness();
    await h.fetcher.load('a', async () => 1, { quiet: true });
    expect(h.writes).toEqual([{ key: 'a', data: 1, loading: false, error: null }]);
  });
});
