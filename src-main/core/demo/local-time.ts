export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

/**
 * Local wall-clock time in one IANA zone, fast enough to call for every generated event: the zone's
 * UTC offset is looked up once per UTC hour (offsets only change on the hour in real zones) and
 * cached, instead of building an Intl formatter per call.
 */
export class LocalTime {
  private readonly offsets = new Map<number, number>();
  private readonly format: Intl.DateTimeFormat;

  constructor(readonly timezone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** Milliseconds to add to a UTC instant to get the zone's wall-clock time as a UTC-based number. */
  offset(at: number): number {
    const key = Math.floor(at / HOUR);
    let off = this.offsets.get(key);
    if (off === undefined) {
      const probe = key * HOUR;
      const parts = this.format.formatToParts(probe);
      const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
      off =
        Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) -
        probe;
      this.offsets.set(key, off);
    }
    return off;
  }

  parts(at: number): LocalParts {
    const d = new Date(at + this.offset(at));
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      weekday: d.getUTCDay(),
    };
  }

  year(at: number): number {
    return new Date(at + this.offset(at)).getUTCFullYear();
  }

  /** Hours since local midnight, fractional. */
  hourOfDay(at: number): number {
    const local = at + this.offset(at);
    return (((local % DAY) + DAY) % DAY) / HOUR;
  }

  weekday(at: number): number {
    return new Date(at + this.offset(at)).getUTCDay();
  }

  /** The instant of a local wall-clock time on the local day of `at` (h may be fractional). */
  atLocalHour(at: number, h: number): number {
    const local = at + this.offset(at);
    const midnightLocal = local - (((local % DAY) + DAY) % DAY);
    const target = midnightLocal + h * HOUR;
    return target - this.offset(target - this.offset(at));
  }

  /** `01-14 08:35` */
  short(at: number): string {
    const p = this.parts(at);
    return `${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
  }

  /** `1月14日` */
  monthDay(at: number): string {
    const p = this.parts(at);
    return `${p.month}月${p.day}日`;
  }

  /** `2026-01-14` */
  isoDate(at: number): string {
    const p = this.parts(at);
    return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
  }

  /** `20260114` and `083512`, for keys. */
  compactDate(at: number): string {
    const p = this.parts(at);
    return `${p.year}${pad(p.month)}${pad(p.day)}`;
  }

  compactTime(at: number): string {
    const p = this.parts(at);
    return `${pad(p.hour)}${pad(p.minute)}${pad(p.second)}`;
  }

  hhmm(at: number): string {
    const p = this.parts(at);
    return `${pad(p.hour)}:${pad(p.minute)}`;
  }
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
