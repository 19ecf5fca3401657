import { toAppError, type AppError } from './errors';

/** One thing fetched from the core: what it is about, the answer, and how the last fetch went. */
export interface Slot<K, V> {
  key: K | null;
  data: V | null;
  loading: boolean;
  error: AppError | null;
}

export const emptySlot = <K, V>(): Slot<K, V> => ({ key: null, data: null, loading: false, error: null });

export interface SlotFetcher<K, V> {
  /**
   * Fetches `key` into the slot: marks it loading (unless quiet), then writes the answer or the
   * error — only if no newer fetch or `invalidate` came meanwhile and `wanted` (when given) still
   * holds, so a slow old answer never overwrites a newer one. Resolves to the data written, if any.
   */
  load(
    key: K,
    fetch: () => Promise<V>,
    options?: { quiet?: boolean; wanted?: () => boolean },
  ): Promise<V | null>;
  /** Makes every fetch in flight stale (the caller wrote a newer answer itself, or changed the key). */
  invalidate(): void;
}

/** The newest-fetch-wins loader of one store slot, read and written through `read`/`write`. */
export function slotFetcher<K, V>(
  read: () => Slot<K, V>,
  write: (slot: Slot<K, V>) => void,
): SlotFetcher<K, V> {
  let seq = 0;
  return {
    async load(key, fetch, options = {}) {
      const n = ++seq;
      const current = (): boolean => n === seq && (options.wanted?.() ?? true);
      if (!options.quiet) write({ ...read(), loading: true, error: null });
      try {
        const data = await fetch();
        if (!current()) return null;
        write({ key, data, loading: false, error: null });
        return data;
      } catch (err) {
        if (current()) write({ ...read(), loading: false, error: toAppError(err) });
        return null;
      }
    },
    invalidate() {
      seq++;
    },
  };
}
