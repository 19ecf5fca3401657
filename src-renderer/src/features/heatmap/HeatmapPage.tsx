import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HEALTH_OFFLINE, type Device, type DeviceKind, type MetricDef } from '@shared/contract';
import { formatClock, formatDateTime } from '../../app/format';
import { useLocalize } from '../../app/i18n';
import { useConfig, useFleet, useStores } from '../../app/stores-context';
import { EmptyState, Spinner } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useFeatureClient } from '../device-detail/feature-client';
import { HeatmapChart } from './HeatmapChart';
import { HeatmapLegend } from './HeatmapLegend';
import { formatValue, healthColor } from './health-scale';
import {
  HEALTH_COLUMN,
  buildLayout,
  countBands,
  degradingSitesKey,
  levelOfByte,
  metricDefOf,
  metricKeysOf,
  regionsOf,
  sitesFromKey,
  type Aggregate,
  type Grouping,
  type HeatmapLayout,
} from './heatmap-model';
import { MetricFrames } from './metric-frames';
import './heatmap.css';

const HEALTH = '';
const LAST_SEEN_TTL_MS = 5_000;
const WORST_LIST = 12;

const formatHealth = (v: number): string => (Number.isFinite(v) ? String(Math.round(v)) : '—');

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function HeatmapPage() {
  const { t } = useTranslation();
  const loc = useLocalize();
  const { fleet } = useStores();
  const client = useFeatureClient();
  const config = useConfig((s) => s.config);
  const devices = useFleet((s) => s.devices);
  const version = useFleet((s) => s.version);
  const loading = useFleet((s) => s.loading);
  const error = useFleet((s) => s.error);
  const waiting = useFleet((s) => s.health === null);
  const kinds = useMemo(() => config?.deviceKinds ?? [], [config]);
  const timeZone = config?.timezone ?? 'Asia/Shanghai';

  const [grouping, setGrouping] = useState<Grouping>('siteDevice');
  const [colourBy, setColourBy] = useState<string>(HEALTH);
  const [aggregate, setAggregate] = useState<Aggregate>('worst');
  const [region, setRegion] = useState<string>('');
  const [searchText, setSearchText] = useState('');
  const search = useDeferredValue(searchText);
  const [onlyDegrading, setOnlyDegrading] = useState(false);
  const [degradingKey, setDegradingKey] = useState('');

  useEffect(() => {
    if (fleet.getState().version < 0) void fleet.getState().load();
  }, [fleet]);

  // "Only degrading": the set of sites is re-derived each frame, but the page re-renders (and the
  // layout is rebuilt) only when that set changes.
  useEffect(() => {
    if (!onlyDegrading) return;
    const update = () => {
      const s = fleet.getState();
      setDegradingKey(degradingSitesKey(s.devices, s.health));
    };
    update();
    return fleet.subscribe((s, prev) => {
      if (s.health !== prev.health || s.devices !== prev.devices) update();
    });
  }, [fleet, onlyDegrading]);

  const usedKinds = useMemo(() => new Set(devices.map((d) => d.kind)), [devices]);
  const metricKeys = useMemo(() => metricKeysOf(kinds, usedKinds), [kinds, usedKinds]);
  const regions = useMemo(() => regionsOf(devices), [devices]);
  const metricLabel = useCallback(
    (key: string): string => {
      if (key === HEALTH_COLUMN) return t('heatmap.columns.health');
      const def = metricDefOf(kinds, key, usedKinds);
      return def ? loc(def.label) : key;
    },
    [kinds, usedKinds, loc, t],
  );
  const colourMetric =
    grouping === 'siteDevice' && colourBy && metricKeys.includes(colourBy) ? colourBy : null;

  const layout = useMemo(
    () =>
      buildLayout(devices, kinds, {
        grouping,
        colourBy: colourMetric,
        aggregate,
        region: region || null,
        search,
        sites: onlyDegrading ? sitesFromKey(degradingKey) : null,
      }),
    // `version` changes with every registry change; devices with it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [devices, version, kinds, grouping, colourMetric, aggregate, region, search, onlyDegrading, degradingKey],
  );

  // Site × device coloured by a metric: the fleet store pulls that metric's values.
  useEffect(() => {
    if (!colourMetric) return;
    fleet.getState().watchMetric(colourMetric);
    return () => fleet.getState().watchMetric(null);
  }, [fleet, colourMetric]);

  // Site × metric: every metric column's values, pulled here.
  const extraKeys = useMemo(
    () =>
      grouping === 'siteMetric' ? layout.columns.map((c) => c.key).filter((k) => k !== HEALTH_COLUMN) : [],
    [grouping, layout],
  );
  const extraKeysId = extraKeys.join(',');
  const [extra, setExtra] = useState<MetricFrames | null>(null);
  useEffect(() => {
    if (!extraKeysId) {
      setExtra(null);
      return;
    }
    const frames = new MetricFrames(client, extraKeysId.split(','), () => fleet.getState().version);
    frames.start();
    setExtra(frames);
    return () => frames.stop();
  }, [client, fleet, extraKeysId]);

  const rowLabels = useMemo(() => layout.rows.map((r) => r.site), [layout]);
  const columnLabels = useMemo(
    () =>
      grouping === 'siteMetric'
        ? layout.columns.map((c) => metricLabel(c.key))
        : layout.columns.map((c) => c.key),
    [grouping, layout, metricLabel],
  );

  // The tooltip's last-seen time comes from the device's telemetry, fetched on hover and kept briefly.
  const lastSeen = useRef(new Map<string, { at: number; lastSeen: string | null }>());
  const tooltip = useCallback(
    (cell: number, done: (html: string) => void): string => {
      const s = fleet.getState();
      const dev = layout.cellDevice[cell] ?? -1;
      const device: Device | undefined = dev >= 0 ? s.devices[dev] : undefined;
      const health = dev >= 0 && s.health ? (s.health[dev] ?? 254) : 254;
      const value = layout.cellValue[cell] ?? Number.NaN;
      const col = layout.cellCol[cell] ?? 0;
      const row = layout.rows[layout.cellRow[cell] ?? 0];
      const healthText = (h: number): string => {
        const level = levelOfByte(h);
        const name = t(`telemetry.health.${level}`);
        return h <= 100 ? `${h} · ${name}` : name;
      };
      const swatch = (h: number) =>
        `<span class="hm-tip-swatch" style="background:${healthColor(h)}"></span>`;
      const line = (k: string, v: string) =>
        `<div class="hm-tip-row"><span>${esc(k)}</span><b>${v}</b></div>`;
      const unitOf = (key: string | null, d: Device | undefined): string => {
        if (!key || key === HEALTH_COLUMN) return '';
        const kind = d ? kinds.find((k) => k.id === d.kind) : undefined;
        const def = kind?.metrics.find((m) => m.key === key) ?? metricDefOf(kinds, key);
        return def?.unit ? ` ${esc(def.unit)}` : '';
      };
      const render = (seen: string | null | undefined): string => {
        const seenText =
          seen === undefined
            ? t('heatmap.tooltip.loading')
            : seen === null
              ? t('telemetry.never')
              : formatDateTime(seen, timeZone, { seconds: true });
        if (layout.grouping === 'siteDevice') {
          if (!device) return '';
          const parts = [
            `<div class="hm-tip-title">${esc(device.sn)}</div>`,
            line(t('heatmap.tooltip.site'), esc(device.site)),
            line(t('heatmap.tooltip.region'), esc(device.region)),
            line(t('heatmap.tooltip.health'), swatch(health) + esc(healthText(health))),
          ];
          if (layout.colourBy)
            parts.push(
              line(
                metricLabel(layout.colourBy),
                esc(formatValue(value)) + (Number.isFinite(value) ? unitOf(layout.colourBy, device) : ''),
              ),
            );
          parts.push(line(t('heatmap.tooltip.lastSeen'), esc(seenText)));
          parts.push(`<div class="hm-tip-hint">${esc(t('heatmap.tooltip.hint'))}</div>`);
          return parts.join('');
        }
        if (!row) return '';
        const key = layout.columns[col]?.key ?? HEALTH_COLUMN;
        const offline = row.devices.reduce((n, i) => n + (s.health?.[i] === HEALTH_OFFLINE ? 1 : 0), 0);
        const aggName =
          layout.aggregate === 'worst' ? 'heatmap.tooltip.aggregateWorst' : 'heatmap.tooltip.aggregateMean';
        const parts = [
          `<div class="hm-tip-title">${esc(row.site)}</div>`,
          line(t('heatmap.tooltip.region'), esc(row.region)),
          line(
            t(aggName, { metric: metricLabel(key) }),
            esc(key === HEALTH_COLUMN ? formatHealth(value) : formatValue(value)) +
              (Number.isFinite(value) ? unitOf(key, device) : ''),
          ),
          `<div class="hm-tip-row muted">${esc(t('heatmap.tooltip.siteDevices', { count: row.devices.length, offline }))}</div>`,
        ];
        if (device) {
          parts.push(line(t('heatmap.tooltip.worstDevice'), esc(device.sn)));
          parts.push(line(t('heatmap.tooltip.health'), swatch(health) + esc(healthText(health))));
          parts.push(line(t('heatmap.tooltip.lastSeen'), esc(seenText)));
          parts.push(`<div class="hm-tip-hint">${esc(t('heatmap.tooltip.hint'))}</div>`);
        }
        return parts.join('');
      };
      if (!device) return render(null);
      const cached = lastSeen.current.get(device.sn);
      if (cached && Date.now() - cached.at < LAST_SEEN_TTL_MS) return render(cached.lastSeen);
      const sn = device.sn;
      client
        .call('telemetry/device', { sn })
        .then((d) => {
          lastSeen.current.set(sn, { at: Date.now(), lastSeen: d.lastSeen });
          done(render(d.lastSeen));
        })
        .catch(() => done(render(null)));
      return render(cached?.lastSeen);
    },
    [fleet, layout, kinds, metricLabel, t, timeZone, client],
  );

  const onPick = useCallback(
    (cell: number) => {
      const dev = layout.cellDevice[cell] ?? -1;
      const device = dev >= 0 ? fleet.getState().devices[dev] : undefined;
      if (device) fleet.getState().select(device.sn);
    },
    [fleet, layout],
  );
  const cellLabel = useCallback(
    (cell: number) => {
      const row = layout.rows[layout.cellRow[cell] ?? 0];
      const dev = layout.cellDevice[cell] ?? -1;
      const column =
        layout.grouping === 'siteMetric'
          ? metricLabel(layout.columns[layout.cellCol[cell] ?? 0]?.key ?? HEALTH_COLUMN)
          : (fleet.getState().devices[dev]?.sn ?? '');
      return t('heatmap.keyboard.cell', { site: row?.site ?? '', column });
    },
    [layout, metricLabel, fleet, t],
  );

  const colourDef: MetricDef | null = colourMetric ? metricDefOf(kinds, colourMetric, usedKinds) : null;

  let body;
  if (error && devices.length === 0) {
    body = (
      <div className="page-center">
        <ErrorBanner error={error} onRetry={() => void fleet.getState().load()} testId="heatmap-error" />
      </div>
    );
  } else if (version < 0 || (loading && devices.length === 0)) {
    body = (
      <div className="page-center">
        <Spinner label={t('heatmap.empty.loading')} />
      </div>
    );
  } else if (devices.length === 0) {
    body = (
      <EmptyState
        testId="heatmap-empty"
        title={t('heatmap.empty.noDevices')}
        hint={t('heatmap.empty.noDevicesHint')}
      />
    );
  } else if (layout.rows.length === 0) {
    body =
      onlyDegrading && !search && !region ? (
        <EmptyState
          testId="heatmap-empty"
          title={t('heatmap.empty.noDegrading')}
          hint={t('heatmap.empty.noDegradingHint')}
        />
      ) : (
        <EmptyState
          testId="heatmap-empty"
          title={t('heatmap.empty.noMatch')}
          hint={t('heatmap.empty.noMatchHint')}
        />
      );
  } else {
    body = (
      <div className="heatmap-main">
        <div className="heatmap-canvas-wrap">
          <HeatmapChart
            layout={layout}
            rowLabels={rowLabels}
            columnLabels={columnLabels}
            extra={extra}
            tooltip={tooltip}
            onPick={onPick}
            label={t('heatmap.keyboard.label')}
            cellLabel={cellLabel}
          />
          {waiting && (
            <div className="heatmap-waiting" data-testid="heatmap-waiting" role="status">
              <span className="spinner" /> {t('heatmap.toolbar.waiting')}
            </div>
          )}
        </div>
        <WorstDevices layout={layout} kinds={kinds} />
      </div>
    );
  }

  return (
    <div className="heatmap-page" data-testid="heatmap-page">
      <div className="toolbar heatmap-toolbar">
        <div className="toolbar-row">
          <h1 className="heatmap-title">{t('heatmap.title')}</h1>
          <label className="hm-control">
            <span>{t('heatmap.toolbar.grouping')}</span>
            <select
              className="input small"
              data-testid="heatmap-grouping"
              value={grouping}
              onChange={(e) => setGrouping(e.target.value as Grouping)}
            >
              <option value="siteDevice">{t('heatmap.toolbar.groupings.siteDevice')}</option>
              <option value="siteMetric">{t('heatmap.toolbar.groupings.siteMetric')}</option>
            </select>
          </label>
          {grouping === 'siteDevice' ? (
            <label className="hm-control">
              <span>{t('heatmap.toolbar.colourBy')}</span>
              <select
                className="input small"
                data-testid="heatmap-colour"
                value={colourMetric ?? HEALTH}
                onChange={(e) => setColourBy(e.target.value)}
              >
                <option value={HEALTH}>{t('heatmap.toolbar.byHealth')}</option>
                {metricKeys.map((k) => {
                  const def = metricDefOf(kinds, k, usedKinds);
                  return (
                    <option key={k} value={k}>
                      {metricLabel(k)}
                      {def?.unit ? ` (${def.unit})` : ''}
                    </option>
                  );
                })}
              </select>
            </label>
          ) : (
            <label className="hm-control">
              <span>{t('heatmap.toolbar.aggregate')}</span>
              <select
                className="input small"
                data-testid="heatmap-aggregate"
                value={aggregate}
                onChange={(e) => setAggregate(e.target.value as Aggregate)}
              >
                <option value="worst">{t('heatmap.toolbar.aggregates.worst')}</option>
                <option value="mean">{t('heatmap.toolbar.aggregates.mean')}</option>
              </select>
            </label>
          )}
          <label className="hm-control">
            <span>{t('heatmap.toolbar.region')}</span>
            <select
              className="input small"
              data-testid="heatmap-region"
              value={region}
              onChange={(e) => setRegion(e.target.value)}
            >
              <option value="">{t('heatmap.toolbar.allRegions')}</option>
              {regions.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <input
            className="input small search hm-search"
            type="search"
            data-testid="heatmap-search"
            placeholder={t('heatmap.toolbar.search')}
            aria-label={t('heatmap.toolbar.search')}
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
          />
          {/* A toggle button, not the chip's hidden checkbox: it must be reachable with Tab. */}
          <button
            type="button"
            className={`chip${onlyDegrading ? ' on' : ''}`}
            title={t('heatmap.toolbar.onlyDegradingTitle')}
            aria-pressed={onlyDegrading}
            data-testid="heatmap-only-degrading"
            data-on={onlyDegrading}
            onClick={() => setOnlyDegrading((v) => !v)}
          >
            {t('heatmap.toolbar.onlyDegrading')}
          </button>
          <span className="toolbar-spacer" />
          <FrameClock timeZone={timeZone} />
        </div>
        <div className="toolbar-row hm-subbar">
          <BandCounts layout={layout} />
          <span className="muted hm-sizes">
            {t('heatmap.toolbar.sites', { count: layout.rows.length })} ·{' '}
            {t('heatmap.toolbar.devices', { count: layout.shown.length })}
          </span>
          <span className="toolbar-spacer" />
          <HeatmapLegend
            mode={grouping === 'siteMetric' ? 'siteMetric' : colourDef ? 'metric' : 'health'}
            def={colourDef}
          />
        </div>
      </div>
      {body}
    </div>
  );
}

/** Devices per health band among those shown; re-renders once a frame, alone. */
function BandCounts({ layout }: { layout: HeatmapLayout }) {
  const { t } = useTranslation();
  const health = useFleet((s) => s.health);
  const counts = useMemo(() => countBands(health, layout.shown), [health, layout]);
  const bands = ['alarm', 'warn', 'good', 'offline', 'noData'] as const;
  return (
    <div
      className="hm-bands"
      data-testid="heatmap-bands"
      role="group"
      aria-label={t('telemetry.health.title')}
    >
      {bands.map((b) => (
        <span key={b} className={`hm-band hm-band-${b}`} data-band={b} data-count={counts[b]}>
          <span className="hm-band-dot" />
          {t(`telemetry.health.${b}`)} <b>{counts[b].toLocaleString()}</b>
        </span>
      ))}
    </div>
  );
}

function FrameClock({ timeZone }: { timeZone: string }) {
  const { t } = useTranslation();
  const at = useFleet((s) => s.frameAt);
  return (
    <span className="muted hm-clock" data-testid="heatmap-frame-at" data-at={at ?? ''}>
      {at === null
        ? t('heatmap.toolbar.waiting')
        : t('heatmap.toolbar.updatedAt', { time: formatClock(at, timeZone) })}
    </span>
  );
}

/**
 * The worst devices among those shown, as buttons: what an operator looks at first, and the
 * keyboard's way into the device detail without the canvas.
 */
function WorstDevices({ layout, kinds }: { layout: HeatmapLayout; kinds: readonly DeviceKind[] }) {
  const { t } = useTranslation();
  const loc = useLocalize();
  const { fleet } = useStores();
  const health = useFleet((s) => s.health);
  const devices = useFleet((s) => s.devices);
  const selected = useFleet((s) => s.selectedSn);
  const worst = useMemo(() => {
    if (!health) return [];
    const list: number[] = [];
    for (let k = 0; k < layout.shown.length; k++) {
      const i = layout.shown[k]!;
      const h = health[i] ?? 254;
      if (h === HEALTH_OFFLINE || h < 80) list.push(i);
    }
    // Lowest health first; offline after the alarms (its health is unknown, not zero).
    const rank = (i: number) => (health[i] === HEALTH_OFFLINE ? 40.5 : health[i]!);
    return list.sort((a, b) => rank(a) - rank(b)).slice(0, WORST_LIST);
  }, [health, layout]);
  return (
    <aside className="hm-worst" aria-label={t('heatmap.worstList.title')} data-testid="heatmap-worst">
      <div className="hm-worst-title">{t('heatmap.worstList.title')}</div>
      {worst.length === 0 ? (
        <div className="muted hm-worst-empty">{t('heatmap.worstList.empty')}</div>
      ) : (
        <ul>
          {worst.map((i) => {
            const d = devices[i]!;
            const h = health![i]!;
            const kind = kinds.find((k) => k.id === d.kind);
            return (
              <li key={d.sn}>
                <button
                  type="button"
                  className={`hm-worst-item${selected === d.sn ? ' on' : ''}`}
                  data-testid="heatmap-worst-item"
                  data-sn={d.sn}
                  onClick={() => fleet.getState().select(d.sn)}
                >
                  <span className="hm-worst-health" style={{ background: healthColor(h) }}>
                    {h <= 100 ? h : t('telemetry.health.offline')}
                  </span>
                  <span className="hm-worst-sn">{d.sn}</span>
                  <span className="hm-worst-site muted">
                    {d.site}
                    {kind ? ` · ${loc(kind.name)}` : ''}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </aside>
  );
}
