import { useSyncExternalStore } from 'react';

interface Ticker {
  now: number;
  listeners: Set<() => void>;
  timer: ReturnType<typeof setInterval> | null;
  subscribe: (onChange: () => void) => () => void;
  snapshot: () => number;
}

/**
 * One shared ticker per interval for every countdown on screen, so a thousand visible countdowns
 * cost one timer and all tick in the same frame.
 */
const tickers = new Map<number, Ticker>();

function ticker(intervalMs: number): Ticker {
  const existing = tickers.get(intervalMs);
  if (existing) return existing;
  const t: Ticker = {
    now: Date.now(),
    listeners: new Set(),
    timer: null,
    subscribe(onChange) {
      t.listeners.add(onChange);
      if (!t.timer) {
        t.timer = setInterval(() => {
          t.now = Date.now();
          for (const l of t.listeners) l();
        }, intervalMs);
      }
      return () => {
        t.listeners.delete(onChange);
        if (t.listeners.size === 0 && t.timer) {
          clearInterval(t.timer);
          t.timer = null;
        }
      };
    },
    snapshot: () => {
      // Idle tickers catch up when read again (the stored time only moves inside the interval).
      if (!t.timer && Date.now() - t.now >= intervalMs) t.now = Date.now();
      return t.now;
    },
  };
  tickers.set(intervalMs, t);
  return t;
}

export function useNow(intervalMs = 1000): number {
  const t = ticker(intervalMs);
  return useSyncExternalStore(t.subscribe, t.snapshot);
}
