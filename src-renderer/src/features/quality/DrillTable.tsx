import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatShortDateTime } from '../../app/format';
import { EmptyState } from '../../components/EmptyState';
import { formatHours } from '../prediction/prediction-format';
import { useKindName } from './use-kind-name';
import { VERDICTS, countByVerdict, drillItems, type QualityItem, type Verdict } from './quality-model';

const ROW_H = 34;

/**
 * Every prediction and failure behind the figures, newest first, filterable by verdict; long lists
 * are virtualised. A ticket number opens that ticket in the board's drawer, a serial number the
 * device drawer.
 */
export function DrillTable({
  items,
  timeZone,
  onOpenTicket,
  onOpenDevice,
}: {
  items: readonly QualityItem[];
  timeZone: string;
  onOpenTicket: (ticketId: string) => void;
  onOpenDevice: (sn: string) => void;
}) {
  const { t } = useTranslation();
  const kindName = useKindName();
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const counts = useMemo(() => countByVerdict(items), [items]);
  const rows = useMemo(() => drillItems(items, verdict), [items, verdict]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_H,
    overscan: 10,
  });
  const time = (iso: string | null) => (iso ? formatShortDateTime(iso, timeZone) : '—');

  return (
    <section className="q-panel q-drill" data-testid="quality-drill">
      <h3 className="q-panel-title">
        {t('predict.quality.drill.title')}
        <span className="muted small" data-testid="quality-drill-count" data-count={rows.length}>
          {t('predict.quality.drill.count', { count: rows.length })}
        </span>
        <span className="spacer" />
        <span className="chip-group" role="group">
          <button
            type="button"
            className={`chip${verdict === null ? ' on' : ''}`}
            aria-pressed={verdict === null}
            onClick={() => setVerdict(null)}
          >
            {t('predict.quality.drill.all')} {items.length}
          </button>
          {VERDICTS.map((v) => (
            <button
              key={v}
              type="button"
              className={`chip verdict-chip v-${v}${verdict === v ? ' on' : ''}`}
              aria-pressed={verdict === v}
              data-testid="quality-verdict-filter"
              data-verdict={v}
              onClick={() => setVerdict(verdict === v ? null : v)}
            >
              {t(`predict.quality.verdict.${v}`)} {counts[v]}
            </button>
          ))}
        </span>
      </h3>
      {items.length === 0 ? (
        <EmptyState
          title={t('predict.quality.drill.empty')}
          hint={t('predict.quality.drill.emptyHint')}
          testId="quality-drill-empty"
        />
      ) : rows.length === 0 ? (
        <p className="muted">{t('predict.quality.drill.emptyFiltered')}</p>
      ) : (
        <div className="q-table" role="table">
          <div className="q-row q-head" role="row">
            <span role="columnheader">{t('predict.quality.drill.verdict')}</span>
            <span role="columnheader">{t('predict.quality.drill.ticket')}</span>
            <span role="columnheader">{t('predict.quality.drill.sn')}</span>
            <span role="columnheader">{t('predict.quality.drill.kind')}</span>
            <span role="columnheader">{t('predict.quality.drill.version')}</span>
            <span role="columnheader">{t('predict.quality.drill.observed')}</span>
            <span role="columnheader">{t('predict.quality.drill.failure')}</span>
            <span role="columnheader" className="num">
              {t('predict.quality.drill.lead')}
            </span>
          </div>
          <div ref={scroller} className="q-scroll" style={{ height: Math.min(rows.length, 10) * ROW_H + 2 }}>
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((v) => {
                const it = rows[v.index]!;
                return (
                  <div
                    key={v.key}
                    className="q-row"
                    role="row"
                    data-testid="quality-item"
                    data-verdict={it.verdict}
                    data-ticket={it.ticketNumber ?? ''}
                    data-sn={it.sn}
                    style={{
                      position: 'absolute',
                      top: 0,
                      left: 0,
                      right: 0,
                      height: ROW_H,
                      transform: `translateY(${v.start}px)`,
                    }}
                  >
                    <span role="cell">
                      <span className={`q-verdict v-${it.verdict}`}>
                        {t(`predict.quality.verdict.${it.verdict}`)}
                      </span>
                    </span>
                    <span role="cell">
                      {it.ticketId ? (
                        <button
                          type="button"
                          className="link-button mono"
                          data-testid="quality-item-ticket"
                          title={t('predict.quality.drill.open')}
                          onClick={() => onOpenTicket(it.ticketId!)}
                        >
                          {it.ticketNumber ?? it.ticketId}
                        </button>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </span>
                    <span role="cell">
                      <button type="button" className="link-button mono" onClick={() => onOpenDevice(it.sn)}>
                        {it.sn}
                      </button>
                    </span>
                    <span role="cell" className="muted">
                      {kindName(it.deviceKind)}
                    </span>
                    <span role="cell" className="mono muted" title={it.modelVersion ?? undefined}>
                      {it.modelVersion ?? '—'}
                    </span>
                    <span role="cell" className="mono">
                      {time(it.observedAt)}
                    </span>
                    <span role="cell" className="mono">
                      {time(it.failureAt)}
                    </span>
                    <span role="cell" className="mono num">
                      {it.leadHours !== null
                        ? t('predict.quality.kpi.hours', { value: formatHours(it.leadHours) })
                        : '—'}
                    </span>
                  </div>
                );
              })}
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
