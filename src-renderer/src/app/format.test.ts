import { describe, expect, it } from 'vitest';
import { formatClock, formatCountdown, formatDate, formatDateTime, formatShortDateTime } from './format';

describe('format', () => {
  it('shows times in the site zone, not the machine zone', () => {
    const at = '2026-03-01T16:30:05.000Z';
    expect(formatDateTime(at, 'Asia/Shanghai')).toBe('2026-03-02 00:30');
    expect(formatDateTime(at, 'Asia/Shanghai', { seconds: true })).toBe('2026-03-02 00:30:05');
    expect(formatDateTime(at, 'UTC')).toBe('2026-03-01 16:30');
    expect(formatShortDateTime(at, 'Asia/Shanghai')).toBe('03-02 00:30');
    expect(formatClock(Date.parse(at), 'Asia/Shanghai')).toBe('00:30:05');
    expect(formatDate(Date.parse(at), 'Asia/Shanghai')).toBe('2026-03-02');
    expect(formatDateTime('not a date', 'UTC')).toBe('—');
  });

  it('formats countdowns under and over a day, and overdue ones', () => {
    expect(formatCountdown(59_000, '天')).toBe('00:00:59');
    expect(formatCountdown(3 * 3600_000 + 5 * 60_000 + 9_000, 'd')).toBe('03:05:09');
    expect(formatCountdown(2 * 86_400_000 + 3 * 3600_000 + 4 * 60_000, '天')).toBe('2天 03:04');
    expect(formatCountdown(-(61 * 60_000), 'd')).toBe('−01:01:00');
  });
});
