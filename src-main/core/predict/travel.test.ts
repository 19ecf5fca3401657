import { describe, expect, it } from 'vitest';
import {
  estimateTravel,
  haversineKm,
  isOnShift,
  nextShiftStart,
  roadKm,
  travelMinutes,
  waitMinutes,
} from './travel';

const TZ = 'Asia/Shanghai';
/** Wall-clock time in Shanghai (UTC+8, no DST) as an instant. */
const sh = (iso: string): number => Date.parse(`${iso}+08:00`);

const weekdayDay = { days: [1, 2, 3, 4, 5], start: '08:30', end: '17:30' };
const weekdayNight = { days: [1, 2, 3, 4, 5], start: '20:00', end: '08:00' };

describe('travel estimate', () => {
  it('measures great-circle distance, road detour and minutes at speed', () => {
    const a = { lng: 120, lat: 30 };
    const b = { lng: 120, lat: 31 };
    expect(haversineKm(a, b)).toBeCloseTo(111.195, 2);
    expect(roadKm(a, b, 1.35)).toBeCloseTo(111.195 * 1.35, 2);
    expect(travelMinutes(35, 35)).toBe(60);
    const t = estimateTravel([a, b, a], { speedKmh: 35, detourFactor: 1.35, costPerKmYuan: 2 });
    expect(t.straightKm).toBeCloseTo(222.39, 1);
    expect(t.minutes).toBeCloseTo((222.39 * 1.35 * 60) / 35, 0);
    expect(estimateTravel([a], { speedKmh: 35, detourFactor: 1.35, costPerKmYuan: 2 }).minutes).toBe(0);
    expect(() => travelMinutes(10, 0)).toThrow(/speed must be positive/);
  });
});

describe('shifts in the configuration time zone', () => {
  it('knows a weekday day shift (2026-01-05 is a Monday)', () => {
    expect(isOnShift(weekdayDay, TZ, sh('2026-01-05T10:00:00'))).toBe(true);
    expect(isOnShift(weekdayDay, TZ, sh('2026-01-05T08:29:59'))).toBe(false);
    expect(isOnShift(weekdayDay, TZ, sh('2026-01-05T17:30:00'))).toBe(false);
    expect(isOnShift(weekdayDay, TZ, sh('2026-01-10T10:00:00'))).toBe(false); // Saturday
    expect(nextShiftStart(weekdayDay, TZ, sh('2026-01-05T18:00:00'))).toBe(sh('2026-01-06T08:30:00'));
    // Friday evening waits for Monday morning.
    expect(nextShiftStart(weekdayDay, TZ, sh('2026-01-09T18:00:00'))).toBe(sh('2026-01-12T08:30:00'));
    // Strictly after: on the start minute, the next one is tomorrow's.
    expect(nextShiftStart(weekdayDay, TZ, sh('2026-01-05T08:30:00'))).toBe(sh('2026-01-06T08:30:00'));
  });

  it('counts a night shift crossing midnight to the day it starts on', () => {
    expect(isOnShift(weekdayNight, TZ, sh('2026-01-05T21:00:00'))).toBe(true); // Monday night
    expect(isOnShift(weekdayNight, TZ, sh('2026-01-06T07:59:00'))).toBe(true); // …into Tuesday
    expect(isOnShift(weekdayNight, TZ, sh('2026-01-06T08:00:00'))).toBe(false);
    expect(isOnShift(weekdayNight, TZ, sh('2026-01-10T03:00:00'))).toBe(true); // Friday's shift, Saturday 3:00
    expect(isOnShift(weekdayNight, TZ, sh('2026-01-11T03:00:00'))).toBe(false); // Saturday has none
    expect(isOnShift(weekdayNight, TZ, sh('2026-01-05T03:00:00'))).toBe(false); // Sunday has none
    expect(nextShiftStart(weekdayNight, TZ, sh('2026-01-11T03:00:00'))).toBe(
      sh('2026-01-05T20:00:00') + 7 * 86_400_000,
    );
    expect(waitMinutes(weekdayNight, TZ, sh('2026-01-05T19:00:00'))).toBe(60);
    expect(waitMinutes(weekdayNight, TZ, sh('2026-01-05T21:00:00'))).toBe(0);
  });

  it('treats equal start and end as a 24-hour shift', () => {
    const wednesday = { days: [3], start: '00:00', end: '00:00' };
    expect(isOnShift(wednesday, TZ, sh('2026-01-07T23:59:00'))).toBe(true);
    expect(isOnShift(wednesday, TZ, sh('2026-01-08T00:00:00'))).toBe(false);
  });

  it('follows a zone with daylight saving across the switch', () => {
    // Europe/Berlin moves to UTC+2 on Sunday 2026-03-29.
    const shift = { days: [1, 2, 3, 4, 5], start: '08:00', end: '17:00' };
    expect(nextShiftStart(shift, 'Europe/Berlin', Date.parse('2026-03-27T17:00:00Z'))).toBe(
      Date.parse('2026-03-30T06:00:00Z'),
    );
    expect(isOnShift(shift, 'Europe/Berlin', Date.parse('2026-03-27T07:30:00Z'))).toBe(true); // 08:30 CET
    expect(isOnShift(shift, 'Europe/Berlin', Date.parse('2026-03-30T06:30:00Z'))).toBe(true); // 08:30 CEST
    expect(isOnShift(shift, 'Europe/Berlin', Date.parse('2026-03-30T05:30:00Z'))).toBe(false); // 07:30 CEST
  });

  it('refuses an unknown zone and a malformed time', () => {
    expect(() => isOnShift(weekdayDay, 'Mars/Olympus', 0)).toThrow(/unknown time zone "Mars\/Olympus"/);
    expect(() => isOnShift({ ...weekdayDay, start: '25:00' }, TZ, 0)).toThrow(/"25:00" is not HH:MM/);
    expect(() => nextShiftStart({ ...weekdayDay, end: '8:00' }, TZ, 0)).toThrow(/"8:00" is not HH:MM/);
    expect(() => isOnShift({ ...weekdayDay, end: '8:00' }, TZ, 0)).toThrow(/"8:00" is not HH:MM/);
  });
});
