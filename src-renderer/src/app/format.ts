/** Time formatting in the site's zone; stored times are UTC ISO-8601. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, withSeconds: boolean, withYear: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withSeconds}|${withYear}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: withYear ? 'numeric' : undefined,
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: withSeconds ? '2-digit' : undefined,
      hourCycle: 'h23',
    });
    formatters.set(key, f);
  }
  return f;
}

function parts(f: Intl.DateTimeFormat, at: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(at)) out[p.type] = p.value;
  return out;
}

function toMs(at: string | number): number {
  return typeof at === 'number' ? at : Date.parse(at);
}

/** `2026-05-12 14:03` (or with seconds) in `timeZone`, the same in every UI language. */
export function formatDateTime(
  at: string | number,
  timeZone: string,
  options: { seconds?: boolean } = {},
): string {
  const ms = toMs(at);
  if (!Number.isFinite(ms)) return '—';
  const p = parts(formatter(timeZone, !!options.seconds, true), ms);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${options.seconds ? `:${p.second}` : ''}`;
}

/** `05-12 14:03`: compact, for dense rows. */
export function formatShortDateTime(at: string | number, timeZone: string): string {
  const ms = toMs(at);
  if (!Number.isFinite(ms)) return '—';
  const p = parts(formatter(timeZone, false, false), ms);
  return `${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** `14:03:27` in `timeZone`. */
export function formatClock(at: number, timeZone: string): string {
  const p = parts(formatter(timeZone, true, false), at);
  return `${p.hour}:${p.minute}:${p.second}`;
}

/** `2026-05-12` in `timeZone`. */
export function formatDate(at: number, timeZone: string): string {
  const p = parts(formatter(timeZone, false, true), at);
  return `${p.year}-${p.month}-${p.day}`;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * A countdown: `HH:MM:SS` under a day, `<d><daySuffix> HH:MM` beyond; a leading minus sign when
 * overdue. `daySuffix` comes from the UI language (`天`, `d`).
 */
export function formatCountdown(ms: number, daySuffix: string): string {
  const sign = ms < 0 ? '−' : '';
  const total = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return `${sign}${d}${daySuffix} ${pad(h)}:${pad(m)}`;
  return `${sign}${pad(h)}:${pad(m)}:${pad(s)}`;
}
