import { useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { EmptyState } from '../../components/EmptyState';
import { ConnectorsTab } from '../connectors/ConnectorsTab';
import { SimulatorTab } from '../simulator/SimulatorTab';
import { DataQualityTab } from '../telemetry-health/DataQualityTab';
import { DEVICES_TABS, devicesTabStore, nextTab, type DevicesTab } from './devices-tab';
import { RegistryTab } from './RegistryTab';
import { useDeviceStoresOrNull } from './use-device-stores';
import './devices.css';

/**
 * `/devices`: the registry, the MQTT connectors, the demo fleet simulator and the data-quality
 * (quarantine) view, as tabs.
 */
export function DevicesPage() {
  const { t } = useTranslation();
  const stores = useDeviceStoresOrNull();
  const tab = useStore(devicesTabStore, (s) => s.tab);
  const tabRefs = useRef<Partial<Record<DevicesTab, HTMLButtonElement | null>>>({});

  // Tabs follow the WAI-ARIA pattern: one tab stop, arrows move between tabs, Home/End jump.
  const onKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    let to: DevicesTab | null = null;
    if (e.key === 'ArrowRight') to = nextTab(tab, 1);
    else if (e.key === 'ArrowLeft') to = nextTab(tab, -1);
    else if (e.key === 'Home') to = DEVICES_TABS[0];
    else if (e.key === 'End') to = DEVICES_TABS[DEVICES_TABS.length - 1]!;
    if (!to) return;
    e.preventDefault();
    devicesTabStore.getState().setTab(to);
    tabRefs.current[to]?.focus();
  };

  if (!stores) {
    return (
      <div className="page-center">
        <EmptyState title={t('devices.notWired')} testId="devices-not-wired" />
      </div>
    );
  }
  return (
    <div className="devices-page" data-testid="devices-page">
      <div className="devices-tabs" role="tablist" aria-label={t('devices.title')} onKeyDown={onKey}>
        {DEVICES_TABS.map((id) => (
          <button
            key={id}
            ref={(el) => {
              tabRefs.current[id] = el;
            }}
            type="button"
            role="tab"
            id={`devices-tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`devices-panel-${id}`}
            tabIndex={tab === id ? 0 : -1}
            className={tab === id ? 'active' : ''}
            data-testid={`devices-tab-${id}`}
            onClick={() => devicesTabStore.getState().setTab(id)}
          >
            <span className="tab-zh">
              {id === 'simulator' ? t('simulator.tab') : t(`devices.tabs.${id}`)}
            </span>
          </button>
        ))}
      </div>
      <div
        className="devices-panel"
        role="tabpanel"
        id={`devices-panel-${tab}`}
        aria-labelledby={`devices-tab-${tab}`}
      >
        {tab === 'devices' && <RegistryTab />}
        {tab === 'connectors' && <ConnectorsTab />}
        {tab === 'simulator' && <SimulatorTab />}
        {tab === 'quality' && <DataQualityTab />}
      </div>
    </div>
  );
}
