import { createStore } from 'zustand/vanilla';

/** The simulator sits beside the connectors: it is a telemetry source that one of them reads back. */
export const DEVICES_TABS = ['devices', 'connectors', 'simulator', 'quality'] as const;
export type DevicesTab = (typeof DEVICES_TABS)[number];

/**
 * The open tab of the devices page. It lives outside the page so that the header's connectors
 * indicator can ask for the connectors tab before the page is mounted (navigating to /devices).
 */
export const devicesTabStore = createStore<{ tab: DevicesTab; setTab(tab: DevicesTab): void }>()((set) => ({
  tab: 'devices',
  setTab: (tab) => set({ tab }),
}));

/** The tab after `tab` in `direction` (arrow keys on the tab list wrap around). */
export function nextTab(tab: DevicesTab, direction: 1 | -1): DevicesTab {
  const i = DEVICES_TABS.indexOf(tab);
  return DEVICES_TABS[(i + direction + DEVICES_TABS.length) % DEVICES_TABS.length]!;
}
