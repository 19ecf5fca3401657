import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  ConfigDocument,
  Device,
  DeviceKind,
  DeviceTelemetry,
  MetricDef,
  Ticket,
} from '@shared/contract';
import { findState, workflowOfType } from '@shared/domain';
import { formatDateTime, formatShortDateTime } from '../../app/format';
import { useLocalize } from '../../app/i18n';
import { hrefOf } from '../../app/routing';
import { useConfig, useFleet, useStores } from '../../app/stores-context';
import { Spinner } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { PriorityBadge } from '../../components/PriorityBadge';
import { StatusBadge } from '../../components/StatusBadge';
import { isModalOpen } from '../../components/modal-stack';
import { fleetSelectors } from '../../stores/fleet/fleet-store';
import { formatValue, healthColor, metricBand } from '../heatmap/health-scale';
import { PredictionSection } from '../prediction/PredictionSection';
import { DeviceTicketDialog } from './DeviceTicketDialog';
import { HealthHistoryChart } from './HealthHistoryChart';
import { Sparkline } from './Sparkline';
import { currentHealth, deviceLevel, kindOf, latestValue, mergeSeries } from './device-series';
import { useDeviceTickets, useDeviceTicketsStore } from './use-device-tickets';
import './device-detail.css';

/**
 * Opens the board (route `/`, or `#/` under file://) from outside it. App keeps its route in React
 * state fed by popstate/hashchange, so a pushState followed by a popstate event is all it takes.
 */
export function navigateToBoard(): void {
  const href = hrefOf('board', window.location);
  if (href.startsWith('#')) {
    window.location.hash = href.slice(1);
    return;
  }
  window.history.pushState(null, '', href);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/** The device detail, over any console page, while the fleet store has a selected device. */
export function DeviceDetailDrawer() {
  const sn = useFleet((s) => s.selectedSn);
  const config = useConfig((s) => s.config);
  if (!sn || !config) return null;
  return <DrawerPanel key={sn} sn={sn} config={config} />;
}

function DrawerPanel({ sn, config }: { sn: string; config: ConfigDocument }) {
  const { t } = useTranslation();
  const loc = useLocalize();
  const { fleet, detail: ticketDetail } = useStores();
  const device = useFleet(fleetSelectors.selectedDevice);
  const detail = useFleet((s) => (s.detail?.sn === sn ? s.detail : null));
  const detailError = useFleet((s) => s.detailError);
  const frameHealth = useFleet((s) => fleetSelectors.healthOf(s, sn));
  const registryLoaded = useFleet((s) => s.version >= 0);
  const ticketsStore = useDeviceTicketsStore();
  const tickets = useDeviceTickets((s) => s.items);
  const ticketsTotal = useDeviceTickets((s) => s.total);
  const ticketsLoading = useDeviceTickets((s) => s.loading);
  const ticketsError = useDeviceTickets((s) => s.error);
  const [creating, setCreating] = useState(false);
  const panel = useRef<HTMLElement>(null);
  const kind = device ? kindOf(config.deviceKinds, device.kind) : undefined;
  const tz = config.timezone;

  const close = () => fleet.getState().select(null);

  useEffect(() => {
    ticketsStore.getState().show(sn);
    return () => ticketsStore.getState().show(null);
  }, [ticketsStore, sn]);

  useEffect(() => {
    if (fleet.getState().version < 0) void fleet.getState().load();
  }, [fleet]);

  // Focus moves into the drawer when it opens, so Escape and Tab act on it.
  useEffect(() => {
    panel.current?.focus();
  }, []);

  // Escape closes the drawer. Capture phase: it must win over the board's own Escape (which would
  // close a ticket drawer hidden under this one); a dialog on top keeps its Escape.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.isComposing || isModalOpen()) return;
      const target = e.target as HTMLElement | null;
      if (target?.matches('input, textarea, select') && !panel.current?.contains(target)) return;
      e.preventDefault();
      e.stopPropagation();
      fleet.getState().select(null);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [fleet]);

  const openOnBoard = (id: string) => {
    ticketDetail.getState().requestOpen(id);
    fleet.getState().select(null);
    navigateToBoard();
  };

  const level = deviceLevel(detail, frameHealth);
  const health = currentHealth(detail, frameHealth);
  const state = detail?.state ?? (level === 'offline' ? 'offline' : 'unknown');

  return (
    <aside
      ref={panel}
      className="device-drawer"
      data-testid="device-drawer"
      data-sn={sn}
      role="dialog"
      aria-modal="false"
      aria-labelledby="device-drawer-title"
      tabIndex={-1}
    >
      <header className="dd-header">
        <div className="dd-title-row">
          <span className="dd-kicker">{t('deviceDetail.title')}</span>
          <span className="toolbar-spacer" />
          <button
            type="button"
            className="icon-button"
            data-testid="device-drawer-close"
            aria-label={t('deviceDetail.close')}
            title={t('deviceDetail.close')}
            onClick={close}
          >
            ×
          </button>
        </div>
        <div className="dd-title-row">
          <h2 id="device-drawer-title" className="dd-sn">
            {sn}
          </h2>
          <span className={`dd-state dd-state-${state}`} data-testid="device-state" data-state={state}>
            {t(`telemetry.state.${state}`)}
          </span>
          <span
            className="dd-health"
            data-testid="device-health"
            data-level={level}
            style={{
              background: level === 'offline' || level === 'noData' ? undefined : healthColor(health),
            }}
          >
            {health !== null && level !== 'offline'
              ? t('telemetry.health.value', { value: health })
              : t(`telemetry.health.${level}`)}
          </span>
        </div>
        {device ? (
          <DeviceFacts device={device} kind={kind} lastSeen={detail?.lastSeen ?? null} timeZone={tz} />
        ) : registryLoaded ? (
          <p className="error-text">{t('deviceDetail.notFound', { sn })}</p>
        ) : (
          <Spinner />
        )}
        <div className="dd-actions">
          <button
            type="button"
            className="button primary"
            data-testid="device-open-ticket"
            title={t('deviceDetail.openTicketTitle')}
            disabled={!device}
            onClick={() => setCreating(true)}
          >
            {t('deviceDetail.openTicket')}
          </button>
        </div>
      </header>
      <div className="dd-body">
        {detailError && !detail && (
          <ErrorBanner
            error={detailError}
            onRetry={() => void fleet.getState().refreshDetail()}
            testId="device-detail-error"
          />
        )}
        <section className="dd-section">
          <h3 className="dd-section-title">{t('deviceDetail.healthHistory')}</h3>
          {detail ? (
            <HealthHistoryLine detail={detail} timeZone={tz} name={t('telemetry.health.title')} />
          ) : (
            !detailError && <Spinner label={t('deviceDetail.loading')} />
          )}
        </section>
        <PredictionSection sn={sn} />
        <section className="dd-section">
          <h3 className="dd-section-title">{t('deviceDetail.metrics')}</h3>
          <ul className="dd-metrics" data-testid="device-metrics">
            {(kind?.metrics ?? []).map((def) => {
              const series = detail?.metrics[def.key];
              const v = latestValue(series);
              const band = Number.isFinite(v) ? metricBand(v, def) : null;
              return (
                <li key={def.key} className="dd-metric" data-testid="device-metric" data-metric={def.key}>
                  <div className="dd-metric-head">
                    <span className="dd-metric-label">{loc(def.label)}</span>
                    <span
                      className={`dd-metric-value${band ? ` band-${band}` : ''}`}
                      data-testid="device-metric-value"
                    >
                      {Number.isFinite(v) ? formatValue(v) : '—'}
                      <small>{def.unit}</small>
                    </span>
                  </div>
                  <MetricSpark series={series} def={def} />
                  <div className="dd-metric-range muted">
                    {t('deviceDetail.range', { min: def.min, max: def.max })}
                    {def.warn !== null && def.alarm !== null
                      ? ` · ${t('deviceDetail.thresholds', { warn: def.warn, alarm: def.alarm })}`
                      : ''}{' '}
                    {def.unit}
                  </div>
                </li>
              );
            })}
          </ul>
        </section>
        <section className="dd-section">
          <h3 className="dd-section-title">
            {t('deviceDetail.tickets.title')}
            {tickets.length > 0 && <span className="dd-count">{tickets.length}</span>}
          </h3>
          {ticketsError && (
            <ErrorBanner
              error={ticketsError}
              onRetry={() => void ticketsStore.getState().refresh()}
              testId="device-tickets-error"
            />
          )}
          {ticketsLoading ? (
            <Spinner label={t('deviceDetail.tickets.loading')} />
          ) : tickets.length === 0 ? (
            !ticketsError && <p className="muted dd-none">{t('deviceDetail.tickets.none')}</p>
          ) : (
            <ul className="dd-tickets" data-testid="device-tickets">
              {tickets.map((tk) => (
                <li key={tk.id}>
                  <button
                    type="button"
                    className="dd-ticket"
                    data-testid="device-ticket"
                    data-number={tk.number}
                    title={t('deviceDetail.tickets.open')}
                    onClick={() => openOnBoard(tk.id)}
                  >
                    <PriorityBadge priority={tk.priority} />
                    <span className="dd-ticket-number">{tk.number}</span>
                    <TicketStatus config={config} typeId={tk.typeId} status={tk.status} />
                    <span className="dd-ticket-title">{tk.title}</span>
                    <span className="dd-ticket-time muted">{formatShortDateTime(tk.updatedAt, tz)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          {ticketsTotal > tickets.length && tickets.length >= 50 && (
            <p className="muted dd-none">
              {t('deviceDetail.tickets.more', { count: ticketsTotal - tickets.length })}
            </p>
          )}
        </section>
      </div>
      {creating && device && (
        <DeviceTicketDialog
          config={config}
          device={device}
          kind={kind}
          detail={detail}
          frameHealth={frameHealth}
          onClose={() => setCreating(false)}
          onCreated={(_ticket: Ticket) => {
            setCreating(false);
            void ticketsStore.getState().refresh();
          }}
        />
      )}
    </aside>
  );
}

function DeviceFacts({
  device,
  kind,
  lastSeen,
  timeZone,
}: {
  device: Device;
  kind: DeviceKind | undefined;
  lastSeen: string | null;
  timeZone: string;
}) {
  const { t } = useTranslation();
  const loc = useLocalize();
  const grid = device.metadata.gridId ?? device.metadata.grid;
  const facts: [string, string][] = [
    [t('deviceDetail.fields.kind'), kind ? loc(kind.name) : device.kind],
    [t('deviceDetail.fields.site'), device.site],
    [t('deviceDetail.fields.region'), device.region],
    [t('deviceDetail.fields.model'), device.model || '—'],
    [t('deviceDetail.fields.installDate'), device.installDate ?? '—'],
    [
      t('deviceDetail.fields.lastSeen'),
      lastSeen ? formatDateTime(lastSeen, timeZone, { seconds: true }) : t('telemetry.never'),
    ],
    [
      t('deviceDetail.fields.location'),
      device.lng !== null && device.lat !== null
        ? `${device.lng.toFixed(5)}, ${device.lat.toFixed(5)}${grid ? ` · ${t('location.grid')} ${grid}` : ''}`
        : '—',
    ],
  ];
  return (
    <dl className="dd-facts" data-testid="device-facts">
      {facts.map(([k, v]) => (
        <div key={k} className="dd-fact">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function HealthHistoryLine({
  detail,
  timeZone,
  name,
}: {
  detail: DeviceTelemetry;
  timeZone: string;
  name: string;
}) {
  // The history holds 5-minute averages; the current health ends the line so a device seen for
  // a few minutes already shows where it stands.
  const line = useMemo(() => {
    const now = detail.lastSeen ? Date.parse(detail.lastSeen) : Date.now();
    const current = detail.health === null ? undefined : { t: [now], v: [detail.health] };
    return mergeSeries(detail.healthHistory, current);
  }, [detail.healthHistory, detail.health, detail.lastSeen]);
  const { t } = useTranslation();
  if (line.t.length === 0) return <p className="muted dd-none">{t('deviceDetail.noHistory')}</p>;
  return <HealthHistoryChart line={line} timeZone={timeZone} name={name} />;
}

function MetricSpark({
  series,
  def,
}: {
  series: DeviceTelemetry['metrics'][string] | undefined;
  def: MetricDef;
}) {
  const { t } = useTranslation();
  const line = useMemo(() => mergeSeries(series?.history, series?.recent), [series]);
  if (line.t.length === 0) return <div className="dd-spark-empty muted">{t('deviceDetail.noSamples')}</div>;
  return <Sparkline line={line} def={def} testId="device-sparkline" />;
}

function TicketStatus({
  config,
  typeId,
  status,
}: {
  config: ConfigDocument;
  typeId: string;
  status: string;
}) {
  const loc = useLocalize();
  const wf = workflowOfType(config, typeId);
  const st = wf ? findState(wf, status) : undefined;
  return <StatusBadge label={st ? loc(st.label) : status} category={st?.category} />;
}
