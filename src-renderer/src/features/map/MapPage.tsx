import 'maplibre-gl/dist/maplibre-gl.css';
import './map.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HEALTH_NO_DATA, HEALTH_OFFLINE } from '@shared/contract';
import { useFleet, useStores } from '../../app/stores-context';
import { isModalOpen } from '../../components/modal-stack';
import { fleetSelectors } from '../../stores/fleet/fleet-store';
import { placedIndices } from './device-layer';
import { BUCKET_COLOURS, BUCKET_NAMES, Bucket, bucketOf, countBuckets, isDegrading } from './health-buckets';
import {
  MapController,
  type MapControllerStats,
  type MapFailure,
  type MapHover,
  type MapView,
} from './map-controller';
import { appBaseUrl } from './map-data';
import { mapKeyFor } from './map-keys';
import type { LayerGroup } from './map-style';
import { checkWebgl } from './webgl';

type Visible = Record<LayerGroup, boolean>;
const INITIAL_VISIBLE: Visible = { base: true, grid: true, devices: true };

/** `/map?focus=SN` opens the map on one device (links from tickets and the device detail). */
function focusFromLocation(): string | null {
  const fromSearch = new URLSearchParams(window.location.search).get('focus');
  if (fromSearch) return fromSearch;
  // Electron routes by hash: `#/map?focus=SN`.
  const q = window.location.hash.indexOf('?');
  return q >= 0 ? new URLSearchParams(window.location.hash.slice(q + 1)).get('focus') : null;
}

/**
 * The GIS map: the generated base map of the demo city, the management grid and every placed
 * device coloured by health, live. See map-controller.ts for what runs per health frame.
 */
export function MapPage() {
  const { t, i18n } = useTranslation();
  const { fleet } = useStores();
  const containerRef = useRef<HTMLDivElement>(null);
  const controllerRef = useRef<MapController | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [failure, setFailure] = useState<MapFailure | null>(null);
  const [ready, setReady] = useState(false);
  const [hover, setHover] = useState<MapHover | null>(null);
  const [stats, setStats] = useState<MapControllerStats | null>(null);
  const [view, setView] = useState<MapView | null>(null);
  const [visible, setVisible] = useState<Visible>(INITIAL_VISIBLE);
  const [onlyDegrading, setOnlyDegrading] = useState(false);
  // Read once per mount by the controller; later toggles go through its setters.
  const initial = useRef({ visible, onlyDegrading });

  useEffect(() => {
    void fleet.getState().load();
  }, [fleet]);

  // The map itself: created once per attempt, fed by the fleet store without React re-renders.
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    setFailure(null);
    setReady(false);
    const webgl = checkWebgl();
    if (!webgl.ok) {
      setFailure({ kind: 'webgl', code: 'noWebgl', detail: webgl.reason });
      return;
    }
    let controller: MapController;
    try {
      controller = new MapController({
        container,
        baseUrl: appBaseUrl(window.location),
        visible: initial.current.visible,
        onlyDegrading: initial.current.onlyDegrading,
        focusSn: focusFromLocation(),
        events: {
          onReady: () => setReady(true),
          onFailure: setFailure,
          onHover: setHover,
          onSelect: (sn) => fleet.getState().select(sn),
          onStats: setStats,
          onView: setView,
        },
      });
    } catch (err) {
      setFailure({
        kind: 'webgl',
        code: 'noWebgl',
        detail: err instanceof Error ? err.message : String(err),
      });
      return;
    }
    controllerRef.current = controller;
    const s = fleet.getState();
    controller.setDevices(s.devices, s.health);
    controller.select(s.selectedSn);
    const off = fleet.subscribe((next, prev) => {
      if (next.devices !== prev.devices) controller.setDevices(next.devices, next.health);
      else if (next.health && next.health !== prev.health)
        controller.applyHealth(next.health, next.frameAt ?? Date.now());
      if (next.selectedSn !== prev.selectedSn) controller.select(next.selectedSn);
    });
    return () => {
      off();
      controllerRef.current = null;
      controller.destroy();
    };
  }, [fleet, attempt]);

  // Keys: + / - zoom, F fits the fleet (see map-keys.ts).
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const target = e.target instanceof HTMLElement ? e.target : null;
      const action = mapKeyFor(
        {
          key: e.key,
          ctrlKey: e.ctrlKey,
          metaKey: e.metaKey,
          altKey: e.altKey,
          target: target
            ? {
                tagName: target.tagName,
                type: (target as HTMLInputElement).type,
                isContentEditable: target.isContentEditable,
              }
            : null,
        },
        { modalOpen: isModalOpen() },
      );
      const c = controllerRef.current;
      if (!action || !c) return;
      e.preventDefault();
      if (action === 'fit') c.fitFleet();
      else c.zoomBy(action === 'zoomIn' ? 1 : -1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const toggle = useCallback((group: LayerGroup) => {
    setVisible((v) => {
      const next = { ...v, [group]: !v[group] };
      controllerRef.current?.setVisible(group, next[group]);
      return next;
    });
  }, []);

  const toggleDegrading = useCallback(() => {
    setOnlyDegrading((on) => {
      controllerRef.current?.setOnlyDegrading(!on);
      return !on;
    });
  }, []);

  const devices = useFleet((s) => s.devices);
  const loaded = useFleet((s) => s.version >= 0 && !s.loading);
  const frameAt = useFleet((s) => s.frameAt);
  const placedCount = useMemo(() => placedIndices(devices).length, [devices]);
  const empty = ready && loaded && placedCount === 0;
  const state = failure ? 'failed' : !ready ? 'loading' : empty ? 'empty' : 'ready';

  return (
    <div
      className="map-page"
      data-testid="map-page"
      data-state={state}
      data-devices={stats?.devicesRendered ?? 0}
      data-frames={stats?.framesApplied ?? 0}
      data-state-updates={stats?.stateUpdates ?? 0}
      data-last-changes={stats?.lastStateChanges ?? 0}
      data-apply-ms={stats ? stats.lastApplyMs.toFixed(3) : ''}
      data-zoom={view ? view.zoom.toFixed(3) : ''}
      data-lng={view ? view.lng.toFixed(6) : ''}
      data-lat={view ? view.lat.toFixed(6) : ''}
    >
      <div className="map-toolbar" role="toolbar" aria-label={t('map.title')}>
        <h1 className="map-title">{t('map.title')}</h1>
        <button
          type="button"
          className="button small"
          onClick={() => controllerRef.current?.fitFleet()}
          title={t('map.toolbar.fitTitle')}
          disabled={!ready}
          data-testid="map-fit"
        >
          {t('map.toolbar.fit')}
        </button>
        <span className="map-zoom">
          <button
            type="button"
            className="button small"
            onClick={() => controllerRef.current?.zoomBy(1)}
            title={t('map.toolbar.zoomIn')}
            aria-label={t('map.toolbar.zoomIn')}
            disabled={!ready}
          >
            +
          </button>
          <button
            type="button"
            className="button small"
            onClick={() => controllerRef.current?.zoomBy(-1)}
            title={t('map.toolbar.zoomOut')}
            aria-label={t('map.toolbar.zoomOut')}
            disabled={!ready}
          >
            −
          </button>
        </span>
        <span className="map-toolbar-sep" />
        <Toggle
          disabled={!ready}
          on={visible.base}
          onClick={() => toggle('base')}
          title={t('map.toolbar.baseTitle')}
          testId="map-toggle-base"
        >
          {t('map.toolbar.base')}
        </Toggle>
        <Toggle
          disabled={!ready}
          on={visible.grid}
          onClick={() => toggle('grid')}
          title={t('map.toolbar.gridTitle')}
          testId="map-toggle-grid"
        >
          {t('map.toolbar.grid')}
        </Toggle>
        <Toggle
          disabled={!ready}
          on={onlyDegrading}
          onClick={toggleDegrading}
          title={t('map.toolbar.onlyDegradingTitle')}
          testId="map-toggle-degrading"
          warn
        >
          {t('map.toolbar.onlyDegrading')}
        </Toggle>
        <span className="map-toolbar-spacer" />
        <span className="map-status" data-testid="map-status">
          {stats && <span>{t('map.toolbar.onMap', { count: stats.devicesRendered })}</span>}
          {stats && stats.framesApplied > 0 && (
            <span>{t('map.toolbar.changed', { count: stats.lastStateChanges })}</span>
          )}
          <span className="mono">
            {frameAt
              ? t('map.toolbar.updatedAt', {
                  time: new Date(frameAt).toLocaleTimeString(i18n.language, { hour12: false }),
                })
              : t('map.toolbar.waiting')}
          </span>
        </span>
      </div>
      <div className="map-stage">
        <div ref={containerRef} className="map-canvas" data-testid="map-canvas" key={attempt} />
        {!failure && !ready && <div className="map-overlay-note">{t('map.loading')}</div>}
        {failure && (
          <FailurePanel
            failure={failure}
            onRetry={() => {
              setFailure(null);
              setAttempt((a) => a + 1);
            }}
          />
        )}
        {!failure && ready && <Legend onlyDegrading={onlyDegrading} />}
        {empty && (
          <div className="map-empty" data-testid="map-empty">
            <div className="map-empty-title">{t('map.empty.title')}</div>
            <div className="map-empty-hint">{t('map.empty.hint')}</div>
          </div>
        )}
        {ready && !loaded && devices.length === 0 && (
          <div className="map-overlay-note">{t('map.empty.loadingDevices')}</div>
        )}
        {hover && !failure && <Tooltip hover={hover} />}
        {ready && <div className="map-attribution">{t('map.attribution')}</div>}
      </div>
    </div>
  );
}

function Toggle({
  on,
  onClick,
  title,
  testId,
  warn,
  disabled,
  children,
}: {
  on: boolean;
  disabled: boolean;
  onClick: () => void;
  title: string;
  testId: string;
  warn?: boolean;
  children: string;
}) {
  return (
    <button
      type="button"
      className={`button small map-toggle${on ? ' on' : ''}${warn ? ' warn' : ''}`}
      aria-pressed={on}
      onClick={onClick}
      title={title}
      data-testid={testId}
      disabled={disabled}
    >
      <span className="map-toggle-box" aria-hidden />
      {children}
    </button>
  );
}

/** Health bands with how many placed devices are in each, live. */
function Legend({ onlyDegrading }: { onlyDegrading: boolean }) {
  const { t } = useTranslation();
  const devices = useFleet((s) => s.devices);
  const health = useFleet((s) => s.health);
  const placed = useMemo(() => placedIndices(devices), [devices]);
  const counts = useMemo(
    () => countBuckets(health && health.length === devices.length ? health : null, placed),
    [health, devices, placed],
  );
  return (
    <div className="map-legend" data-testid="map-legend">
      <div className="map-legend-title">{t('map.legend.title')}</div>
      {BUCKET_NAMES.map((name) => {
        const code = Bucket[name];
        const dim = onlyDegrading && !isDegrading(code);
        return (
          <div
            key={name}
            className={`map-legend-row${dim ? ' dim' : ''}`}
            data-testid="map-legend-item"
            data-bucket={name}
            data-count={counts[code]}
          >
            <span className="map-legend-dot" style={{ background: BUCKET_COLOURS[name] }} />
            <span className="map-legend-label">{t(`map.legend.${name}`)}</span>
            <span className="map-legend-count mono">{counts[code]!.toLocaleString()}</span>
          </div>
        );
      })}
      <div className="map-legend-note">{t('map.legend.clusterNote')}</div>
    </div>
  );
}

/** Drawn as HTML (no glyphs needed), next to the pointer. */
function Tooltip({ hover }: { hover: MapHover }) {
  const { t } = useTranslation();
  // Flipped to the pointer's other side near the right and bottom edges, so it never clips.
  const stage = { width: window.innerWidth, height: window.innerHeight - 120 };
  const style = {
    left: hover.x > stage.width - 300 ? hover.x - 274 : hover.x + 14,
    top: hover.y > stage.height - 140 ? hover.y - 120 : hover.y + 14,
  };
  if (hover.kind === 'cluster') {
    return (
      <div className="map-tooltip" style={style} data-testid="map-tooltip" data-kind="cluster">
        <div className="map-tooltip-title">{t('map.tooltip.cluster', { count: hover.count })}</div>
        <div className="map-tooltip-row">
          {t('map.tooltip.clusterBad', { alarm: hover.alarm, warn: hover.warn, offline: hover.offline })}
        </div>
        <div className="map-tooltip-hint">{t('map.tooltip.clusterHint')}</div>
      </div>
    );
  }
  return <DeviceTooltip sn={hover.sn} style={style} />;
}

function DeviceTooltip({ sn, style }: { sn: string; style: { left: number; top: number } }) {
  const { t } = useTranslation();
  const device = useFleet((s) => {
    const i = s.indexBySn.get(sn);
    return i === undefined ? undefined : s.devices[i];
  });
  const health = useFleet((s) => fleetSelectors.healthOf(s, sn));
  const bucket = health === null ? Bucket.noData : bucketOf(health);
  const name = BUCKET_NAMES.find((n) => Bucket[n] === bucket) ?? 'noData';
  const value =
    health === null || health === HEALTH_NO_DATA
      ? t('map.tooltip.noData')
      : health === HEALTH_OFFLINE
        ? t('map.tooltip.offline')
        : String(health);
  return (
    <div className="map-tooltip" style={style} data-testid="map-tooltip" data-kind="device" data-sn={sn}>
      <div className="map-tooltip-title mono">{sn}</div>
      <div className="map-tooltip-row">
        <span className="muted">{t('map.tooltip.site')}</span> {device?.site ?? '—'}
      </div>
      <div className="map-tooltip-row">
        <span className="muted">{t('map.tooltip.health')}</span>{' '}
        <span className="map-tooltip-health" style={{ color: BUCKET_COLOURS[name] }}>
          {value}
        </span>
      </div>
      <div className="map-tooltip-hint">{t('map.tooltip.deviceHint')}</div>
    </div>
  );
}

function FailurePanel({ failure, onRetry }: { failure: MapFailure; onRetry: () => void }) {
  const { t } = useTranslation();
  if (failure.kind === 'data') {
    return (
      <div className="map-failure" role="alert" data-testid="map-error" data-kind="data">
        <div className="map-failure-title">{t('map.error.dataTitle')}</div>
        <div className="map-failure-reason mono">{failure.detail}</div>
        <button type="button" className="button small" onClick={onRetry}>
          {t('map.error.retry')}
        </button>
      </div>
    );
  }
  const reason = failure.code === 'contextLost' ? t('map.error.contextLost') : t('map.error.noWebgl');
  return (
    <div
      className="map-failure"
      role="alert"
      data-testid="map-error"
      data-kind="webgl"
      data-code={failure.code}
    >
      <div className="map-failure-title">{t('map.error.webglTitle')}</div>
      <div className="map-failure-reason">{t('map.error.reason', { reason })}</div>
      {failure.detail && <div className="map-failure-reason mono">{failure.detail}</div>}
      <div className="map-failure-hint">{t('map.error.webglHint')}</div>
      <button type="button" className="button small" onClick={onRetry}>
        {t('map.error.reload')}
      </button>
    </div>
  );
}
