import type { DispatchSettings, Shift } from '@shared/contract';
import { haversineMeters, type LngLat } from '@shared/domain';
import { LocalTime } from '../demo/local-time';

/**
 * Travel estimates and shift arithmetic for the dispatch strategy. Travel is straight-line
 * distance times a detour factor at an average urban speed: good enough to rank engineers, no
 * routing service needed. Shifts are wall-clock times in the configuration's IANA zone.
 */

export type TravelSettings = DispatchSettings['travel'];

export interface TravelEstimate {
  straightKm: number;
  roadKm: number;
  minutes: number;
}

export function haversineKm(a: LngLat, b: LngLat): number {
  return haversineMeters(a, b) / 1000;
}

export function roadKm(a: LngLat, b: LngLat, detourFactor: number): number {
  return haversineKm(a, b) * detourFactor;
}

export function travelMinutes(km: number, speedKmh: number): number {
  if (!(speedKmh > 0)) throw new RangeError(`travel speed must be positive, got ${speedKmh}`);
  return (km / speedKmh) * 60;
}

/** Along a route of points (home → depot → device), leg by leg. */
export function estimateTravel(route: readonly LngLat[], travel: TravelSettings): TravelEstimate {
  let straight = 0;
  for (let i = 1; i < route.length; i++) straight += haversineKm(route[i - 1]!, route[i]!);
  const road = straight * travel.detourFactor;
  return { straightKm: straight, roadKm: road, minutes: travelMinutes(road, travel.speedKmh) };
}

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;
const zones = new Map<string, LocalTime>();

/** One cached LocalTime per zone; an unknown zone is a clear error, not a silent UTC. */
function localTime(timezone: string): LocalTime {
  let lt = zones.get(timezone);
  if (!lt) {
    try {
      lt = new LocalTime(timezone);
    } catch {
      throw new RangeError(`unknown time zone "${timezone}"`);
    }
    zones.set(timezone, lt);
  }
  return lt;
}

function minutesOf(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  const h = m ? Number(m[1]) : NaN;
  const min = m ? Number(m[2]) : NaN;
  if (!(h >= 0 && h <= 24 && min >= 0 && min < 60 && h * 60 + min <= DAY_MINUTES))
    throw new RangeError(`shift time "${hhmm}" is not HH:MM`);
  return h * 60 + min;
}

/** Shift length in minutes; an end at or before the start runs past midnight (equal: 24 h). */
function shiftLength(shift: Shift): number {
  const s = minutesOf(shift.start);
  const e = minutesOf(shift.end);
  return e > s ? e - s : e + DAY_MINUTES - s;
}

/** ISO weekday 1 (Monday) … 7 from JavaScript's 0 (Sunday) … 6. */
function isoWeekday(jsDay: number): number {
  return jsDay === 0 ? 7 : jsDay;
}

/**
 * The instant a shift starts on the local day `dayOffset` days from the local day of `atMs`.
 * Also returns that day's ISO weekday.
 */
function shiftStartOn(
  lt: LocalTime,
  atMs: number,
  dayOffset: number,
  startMin: number,
): { at: number; weekday: number } {
  const p = lt.parts(atMs);
  // Calendar arithmetic in "local as UTC" space, then back to the real instant.
  const localMidnight = Date.UTC(p.year, p.month - 1, p.day + dayOffset);
  const local = localMidnight + startMin * MINUTE;
  const guess = local - lt.offset(local);
  const at = local - lt.offset(guess);
  return { at, weekday: isoWeekday(new Date(localMidnight).getUTCDay()) };
}

/** Whether the shift covers the instant; a night shift belongs to the day it starts on. */
export function isOnShift(shift: Shift, timezone: string, atMs: number): boolean {
  const lt = localTime(timezone);
  const startMin = minutesOf(shift.start);
  const len = shiftLength(shift) * MINUTE;
  // Today's shift, or yesterday's still running past midnight.
  for (const d of [0, -1]) {
    const s = shiftStartOn(lt, atMs, d, startMin);
    if (shift.days.includes(s.weekday) && atMs >= s.at && atMs < s.at + len) return true;
  }
  return false;
}

/** The first shift start strictly after `atMs`; null when the shift has no valid weekday. */
export function nextShiftStart(shift: Shift, timezone: string, atMs: number): number | null {
  const lt = localTime(timezone);
  const startMin = minutesOf(shift.start);
  shiftLength(shift); // a malformed end is an error here too, not only once someone is on shift
  for (let d = 0; d <= 8; d++) {
    const s = shiftStartOn(lt, atMs, d, startMin);
    if (s.at > atMs && shift.days.includes(s.weekday)) return s.at;
  }
  return null;
}

/** Minutes until the engineer can start: 0 on shift, else until the next shift; null: never. */
export function waitMinutes(shift: Shift, timezone: string, atMs: number): number | null {
  if (isOnShift(shift, timezone, atMs)) return 0;
  const next = nextShiftStart(shift, timezone, atMs);
  return next === null ? null : (next - atMs) / MINUTE;
}
