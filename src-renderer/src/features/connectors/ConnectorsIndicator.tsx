import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { connectorsSelectors, type ConnectorsStore } from '../../stores/connectors/connectors-store';
import { devicesTabStore } from '../devices/devices-tab';
import { useDeviceStoresOrNull } from '../devices/use-device-stores';
import { connectedCount, displayUrl, lookOf, toneOfAggregate, toneOfLook } from './connector-status';
import './connectors.css';

export interface ConnectorsIndicatorProps {
  /** Navigates to the devices page; the indicator has already chosen its connectors tab. */
  onOpen: () => void;
}

/**
 * The header badge of the MQTT connections: the worst state of all (green "MQTT 2/2", amber while
 * connecting or when some are down, red when all are down), a tooltip listing each connector, and
 * a click that opens the connectors tab. Live through the connectors store's `connectors/changed`
 * subscription. Renders nothing in a build without the connectors store, or where the host has no
 * MQTT (the call answers with an error) and no connectors were ever listed.
 */
export function ConnectorsIndicator({ onOpen }: ConnectorsIndicatorProps) {
  const stores = useDeviceStoresOrNull();
  if (!stores) return null;
  return <Badge store={stores.connectors} onOpen={onOpen} />;
}

function Badge({ store, onOpen }: { store: ConnectorsStore; onOpen: () => void }) {
  const { t } = useTranslation();
  const tooltipId = useId();
  const connectors = useStore(store, (s) => s.connectors);
  const loaded = useStore(store, (s) => s.loaded);
  const error = useStore(store, (s) => s.error);
  useEffect(() => store.getState().ensureLoaded(), [store]);
  if (!loaded) {
    if (!error) return null;
    // The host has no MQTT: nothing to watch, nothing to show.
    if (error.code === 'UNAVAILABLE') return null;
  }
  const aggregate = connectorsSelectors.aggregate(connectors);
  const tone = toneOfAggregate(aggregate);
  const { connected, enabled } = connectedCount(connectors);
  const label = loaded
    ? t('devices.connectors.badge', { connected, enabled })
    : t('devices.connectors.badgeUnknown');
  return (
    <span className="mqtt-badge-wrap">
      <button
        type="button"
        className={`mqtt-badge tone-${loaded ? tone : 'warn'}`}
        data-testid="connectors-indicator"
        data-state={loaded ? aggregate : 'unknown'}
        aria-describedby={tooltipId}
        onClick={() => {
          devicesTabStore.getState().setTab('connectors');
          onOpen();
        }}
      >
        <span className="mqtt-dot" aria-hidden="true" />
        {label}
      </button>
      <span role="tooltip" id={tooltipId} className="mqtt-tooltip" data-testid="connectors-tooltip">
        <strong>{t(`devices.connectors.aggregate.${loaded ? aggregate : 'unknown'}`)}</strong>
        {!loaded && error && <span className="mqtt-tip-error">{error.message}</span>}
        {connectors.map((c) => {
          const look = lookOf(c);
          return (
            <span key={c.id} className="mqtt-tip-row">
              <span className={`mqtt-dot tone-${toneOfLook(look)}`} aria-hidden="true" />
              <span className="mqtt-tip-name">{c.name}</span>
              <span className="muted">{t(`devices.connectors.look.${look}`)}</span>
              <span className="mqtt-tip-url mono">{displayUrl(c.url)}</span>
              {c.status.lastError && look !== 'connected' && (
                <span className="mqtt-tip-error">{c.status.lastError}</span>
              )}
            </span>
          );
        })}
        {loaded && connectors.length === 0 && <span className="muted">{t('devices.connectors.none')}</span>}
        <span className="muted small">{t('devices.connectors.badgeHint')}</span>
      </span>
    </span>
  );
}
