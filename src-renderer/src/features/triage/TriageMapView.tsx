import 'maplibre-gl/dist/maplibre-gl.css';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStores } from '../../app/stores-context';
import { useHotline } from '../../stores/hotline/use-hotline';
import { appBaseUrl } from '../map/map-data';
import { checkWebgl } from '../map/webgl';
import { TriageMap } from './triage-map';

/** The map beside the card: the request's grid cell and place; a click sets the place by hand. */
export function TriageMapView() {
  const { t } = useTranslation();
  const { hotline } = useStores();
  const host = useRef<HTMLDivElement>(null);
  const mapRef = useRef<TriageMap | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'noWebgl' | 'dataError'>('loading');
  const cellId = useHotline((s) => s.route?.cell?.id ?? null);
  const lng = useHotline((s) => s.route?.location?.lng ?? s.draft.place?.lng ?? null);
  const lat = useHotline((s) => s.route?.location?.lat ?? s.draft.place?.lat ?? null);
  const cell = useHotline((s) => s.route?.cell ?? null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    if (!checkWebgl().ok) {
      setState('noWebgl');
      return;
    }
    let map: TriageMap;
    try {
      map = new TriageMap(el, appBaseUrl(window.location), {
        onReady: () => setState('ready'),
        onFailure: () => setState('dataError'),
        onPick: (pickLng, pickLat) =>
          hotline.getState().setPlace({ lng: pickLng, lat: pickLat, source: 'map' }),
      });
    } catch {
      setState('noWebgl');
      return;
    }
    mapRef.current = map;
    const ro = new ResizeObserver(() => map.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      mapRef.current = null;
      map.destroy();
    };
  }, [hotline]);

  useEffect(() => {
    mapRef.current?.show(cellId, lng !== null && lat !== null ? { lng, lat } : null);
  }, [cellId, lng, lat, state]);

  return (
    <section className="triage-map" aria-label={t('hotline.triage.map.title')}>
      <header className="triage-section-head">
        <span>{t('hotline.triage.map.title')}</span>
        {cell && <span className="mono triage-chip">{cell.id}</span>}
      </header>
      <div
        className="triage-map-canvas"
        ref={host}
        data-testid="triage-map"
        data-state={state}
        data-cell-id={state === 'ready' ? (cellId ?? '') : ''}
      />
      {state === 'noWebgl' && <div className="triage-map-msg muted">{t('hotline.triage.map.noWebgl')}</div>}
      {state === 'dataError' && (
        <div className="triage-map-msg error-text">{t('hotline.triage.map.dataError')}</div>
      )}
      <footer className="triage-map-foot muted small">
        {cell
          ? `${cell.district} · ${cell.street} · ${cell.manager ?? '—'}`
          : t('hotline.triage.locate.mapHint')}
      </footer>
    </section>
  );
}
