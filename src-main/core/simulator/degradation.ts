import { hash2, hashString, unit } from './noise';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './physics';

/**
 * Which devices degrade, how, and when they fail. The choice of devices and modes depends on
 * the seed only (ranked by a hash of the SN, so it survives a fleet growing or being reordered);
 * the timing is anchored to the run's simulated start, so every run has devices already on their
 * way to failure — a live demo at speed 1 shows something from the first minute.
 */

export const DEGRADATION_MODES = ['capacitor-ageing', 'loose-contact', 'fan-failure'] as const;
export type DegradationMode = (typeof DEGRADATION_MODES)[number];

export interface Degradation {
  /** Index into the simulated fleet. */
  index: number;
  sn: string;
  mode: DegradationMode;
  /** Simulated epoch ms. */
  onsetAt: number;
  failureAt: number;
}

export interface DegradationShares {
  /** Share of the fleet already degrading at the start, failing 1–72 simulated hours later. */
  inProgress: number;
  /** Share of the fleet whose degradation starts later, within `horizonDays`. */
  upcoming: number;
  horizonDays: number;
}

/** 3–5 % of the fleet in all, a seeded share; 1.5 % of it under way when the run starts. */
export function defaultShares(seed: number): DegradationShares {
  return { inProgress: 0.015, upcoming: 0.015 + 0.02 * unit(hash2(0x5a1e, seed)), horizonDays: 30 };
}

/**
 * Onset → failure durations (log-uniform between the bounds). Electrolytic capacitors wear out
 * over days to weeks once ESR starts climbing; a failing fan bearing lasts a few days; a loose
 * terminal heats, oxidises and opens within hours to days.
 */
const DURATION_MS: Record<DegradationMode, [number, number]> = {
  'capacitor-ageing': [4 * DAY_MS, 20 * DAY_MS],
  'fan-failure': [1.5 * DAY_MS, 6 * DAY_MS],
  'loose-contact': [12 * HOUR_MS, 4 * DAY_MS],
};

/** Relative frequency of the modes among degrading inverters. */
const MODE_WEIGHTS: [DegradationMode, number][] = [
  ['capacitor-ageing', 0.4],
  ['fan-failure', 0.35],
  ['loose-contact', 0.25],
];

function pickMode(u: number): DegradationMode {
  let acc = 0;
  for (const [mode, w] of MODE_WEIGHTS) {
    acc += w;
    if (u < acc) return mode;
  }
  return MODE_WEIGHTS[MODE_WEIGHTS.length - 1]![0];
}

function duration(mode: DegradationMode, u: number): number {
  const [lo, hi] = DURATION_MS[mode];
  return Math.round(lo * Math.pow(hi / lo, u));
}

export function planDegradations(
  sns: readonly string[],
  seed: number,
  simStart: number,
  shares: DegradationShares = defaultShares(seed),
): Degradation[] {
  const key = hash2(0x0de9_7ade, seed);
  const ranked = sns.map((sn, index) => ({ sn, index, h: hash2(key, hashString(sn)) }));
  ranked.sort((a, b) => a.h - b.h || a.index - b.index);
  const inProgress = Math.round(shares.inProgress * sns.length);
  const upcoming = Math.round(shares.upcoming * sns.length);
  const plan: Degradation[] = [];
  for (let r = 0; r < Math.min(ranked.length, inProgress + upcoming); r++) {
    const { sn, index, h } = ranked[r]!;
    const mode = pickMode(unit(hash2(h, 1)));
    let d = duration(mode, unit(hash2(h, 2)));
    let onsetAt: number;
    let failureAt: number;
    if (r < inProgress) {
      // Whole minutes keep the ground truth's ISO times readable.
      const remaining = Math.round((1 + 71 * unit(hash2(h, 3))) * 60) * MINUTE_MS;
      failureAt = simStart + remaining;
      // At least a tenth of the way along, so the onset is really in the past.
      d = Math.max(d, Math.round(remaining / 0.9));
      onsetAt = failureAt - d;
    } else {
      onsetAt = simStart + Math.round(unit(hash2(h, 4)) * shares.horizonDays * 24 * 60) * MINUTE_MS;
      failureAt = onsetAt + d;
    }
    plan.push({ index, sn, mode, onsetAt, failureAt });
  }
  plan.sort((a, b) => a.failureAt - b.failureAt || a.index - b.index);
  return plan;
}
