import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { AppStores } from '../stores/app-stores';
import type { BoardState } from '../stores/board/board-store';
import type { ConfigState } from '../stores/config/config-store';
import type { ConnectionStoreState } from '../stores/connection/connection-store';
import type { CreateState } from '../stores/create/create-store';
import type { DetailState } from '../stores/detail/detail-store';
import type { ViewsState } from '../stores/views/views-store';
import type { WallState } from '../stores/wall/wall-store';
import type { FleetState } from '../stores/fleet/fleet-store';
import type { SimulatorState } from '../stores/simulator/simulator-store';

const StoresContext = createContext<AppStores | null>(null);

export function StoresProvider({ stores, children }: { stores: AppStores; children: ReactNode }) {
  return <StoresContext.Provider value={stores}>{children}</StoresContext.Provider>;
}

export function useStores(): AppStores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('useStores outside StoresProvider');
  return stores;
}

/* Selector hooks: components read stores only through these. */
export const useBoard = <T,>(selector: (s: BoardState) => T): T => useStore(useStores().board, selector);
export const useConfig = <T,>(selector: (s: ConfigState) => T): T => useStore(useStores().config, selector);
export const useConnection = <T,>(selector: (s: ConnectionStoreState) => T): T =>
  useStore(useStores().connection, selector);
export const useViews = <T,>(selector: (s: ViewsState) => T): T => useStore(useStores().views, selector);
export const useDetail = <T,>(selector: (s: DetailState) => T): T => useStore(useStores().detail, selector);
export const useCreate = <T,>(selector: (s: CreateState) => T): T => useStore(useStores().create, selector);
export const useWall = <T,>(selector: (s: WallState) => T): T => useStore(useStores().wall, selector);
export const useFleet = <T,>(selector: (s: FleetState) => T): T => useStore(useStores().fleet, selector);
export const useSimulator = <T,>(selector: (s: SimulatorState) => T): T =>
  useStore(useStores().simulator, selector);
