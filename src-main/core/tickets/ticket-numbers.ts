const yearFormats = new Map<string, Intl.DateTimeFormat>();
const HOUR = 3_600_000;
let lastYear = { timezone: '', hour: -1, year: 0 };

/** The calendar year of an instant in the configured zone: numbers restart on local New Year. */
export function yearIn(timezone: string, at: number): number {
  // Every zone changes year on a whole hour, so the answer holds for the rest of the hour.
  const hour = Math.floor(at / HOUR);
  if (lastYear.timezone === timezone && lastYear.hour === hour) return lastYear.year;
  let format = yearFormats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric' });
    yearFormats.set(timezone, format);
  }
  const year = Number(format.format(at));
  lastYear = { timezone, hour, year };
  return year;
}

/** Start of the local day containing `at`, as epoch milliseconds. */
export function startOfDayIn(timezone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(at);
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const sinceMidnight = (get('hour') * 3600 + get('minute') * 60 + get('second')) * 1000 + (at % 1000);
  return at - sinceMidnight;
}

export function formatTicketNumber(prefix: string, year: number, n: number): string {
  return `${prefix}-${year}-${String(n).padStart(6, '0')}`;
}
