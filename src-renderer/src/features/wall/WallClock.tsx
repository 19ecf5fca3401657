import { useTranslation } from 'react-i18next';
import { formatClock, formatDate } from '../../app/format';
import { useConfig } from '../../app/stores-context';
import { useNow } from '../../app/use-now';
import { configSelectors } from '../../stores/config/config-store';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** The time at the site (the configuration's zone), whatever the machine's zone. */
export function WallClock() {
  const { t } = useTranslation();
  const now = useNow(1000);
  const tz = useConfig((s) => configSelectors.timezone(s.config));
  const weekday = new Intl.DateTimeFormat('en-US', { timeZone: tz, weekday: 'short' })
    .format(now)
    .toLowerCase()
    .slice(0, 3);
  const key = WEEKDAYS.find((d) => d === weekday) ?? 'mon';
  return (
    <div className="wall-clock" data-testid="wall-clock">
      <div className="wall-clock-time mono">{formatClock(now, tz)}</div>
      <div className="wall-clock-date">
        {formatDate(now, tz)} {t(`weekday.${key}`)} · {tz}
      </div>
    </div>
  );
}
