import type { RpcClient } from '../rpc/client';
import { createBoardStore, type BoardStore, type BoardStoreOptions } from './board/board-store';
import { createConfigStore, type ConfigStore } from './config/config-store';
import { createConnectionStore, type ConnectionStore } from './connection/connection-store';
import { createConnectorsStore, type ConnectorsStore } from './connectors/connectors-store';
import { createCreateStore, type CreateStore } from './create/create-store';
import { createDetailStore, type DetailStore } from './detail/detail-store';
import { createDevicesStore, type DevicesStore } from './devices/devices-store';
import { createFleetStore, type FleetStore } from './fleet/fleet-store';
import { createHotlineStore, type HotlineStore } from './hotline/hotline-store';
import { createPredictStore, type PredictStore } from './predict/predict-store';
import { createSimulatorStore, type SimulatorStore } from './simulator/simulator-store';
import { createTelemetryStatsStore, type TelemetryStatsStore } from './telemetry-stats/telemetry-stats-store';
import { createViewsStore, type ViewsStore } from './views/views-store';
import { createWallStore, type WallStore } from './wall/wall-store';

export interface AppStores {
  /** The app's one RPC client, for features' own one-off queries (a device's open tickets…). */
  client: RpcClient;
  connection: ConnectionStore;
  config: ConfigStore;
  board: BoardStore;
  views: ViewsStore;
  detail: DetailStore;
  create: CreateStore;
  wall: WallStore;
  fleet: FleetStore;
  devices: DevicesStore;
  connectors: ConnectorsStore;
  telemetryStats: TelemetryStatsStore;
  simulator: SimulatorStore;
  predict: PredictStore;
  hotline: HotlineStore;
}

export interface AppStoresOptions {
  board?: Omit<BoardStoreOptions, 'client' | 'getConfig'>;
}

/**
 * Builds every store over one RPC client and routes the core's pushes to them. The returned
 * `dispose` stops timers and subscriptions (tests, hot reload).
 */
export function createAppStores(
  client: RpcClient,
  options: AppStoresOptions = {},
): { stores: AppStores; dispose: () => void } {
  const config = createConfigStore(client);
  const board = createBoardStore({ client, getConfig: () => config.getState().config, ...options.board });
  const views = createViewsStore(client);
  const detail = createDetailStore(client);
  const wall = createWallStore(client);
  const fleet = createFleetStore(client);
  const devices = createDevicesStore(client, { reloadRegistry: () => fleet.getState().load() });
  const connectors = createConnectorsStore(client);
  const telemetryStats = createTelemetryStatsStore(client);
  const simulator = createSimulatorStore(client);
  const predict = createPredictStore(client);
  const hotline = createHotlineStore(client);
  // The new ticket opens in the drawer, unless the operator keeps editing another one there.
  const create = createCreateStore(client, (ticket) => {
    detail.getState().requestOpen(ticket.id);
  });

  const refetchEverything = (): void => {
    void config
      .getState()
      .load()
      .then(() => {
        board.getState().configChanged();
        void board.getState().refresh();
      });
    void views.getState().load();
    void detail.getState().reload();
    wall.getState().changed();
    void fleet.getState().load();
    simulator.getState().reconnected();
    predict.getState().reconnected();
    hotline.getState().reconnected();
  };

  const connection = createConnectionStore(client, (reconnected) => {
    if (reconnected) refetchEverything();
    // A first connection after the initial calls timed out: load what failed.
    else if (config.getState().error) void config.getState().load();
  });

  const offs = [
    connection.dispose,
    client.on('tickets/changed', (payload) => {
      board.getState().applyChanges(payload.changes);
      detail.getState().applyChanges(payload.changes);
      wall.getState().changed();
      predict.getState().applyTicketChanges(payload.changes);
    }),
    client.on('telemetry/changed', (payload) => fleet.getState().applyFrame(payload)),
    client.on('devices/changed', (payload) => fleet.getState().devicesChanged(payload)),
    client.on('simulator/changed', (payload) => simulator.getState().applyChanged(payload)),
    client.on('predict/changed', (payload) => predict.getState().applyChanged(payload)),
    client.on('hotline/changed', (payload) => hotline.getState().applyChanged(payload)),
    client.on('hotline/queueChanged', (payload) => hotline.getState().applyQueueChanged(payload)),
    client.on('views/changed', () => {
      void views.getState().load();
    }),
    client.on('config/changed', () => {
      void config
        .getState()
        .load()
        .then(() => board.getState().configChanged());
    }),
  ];

  return {
    stores: {
      client,
      connection: connection.store,
      config,
      board,
      views,
      detail,
      create,
      wall,
      fleet,
      devices,
      connectors,
      telemetryStats,
      simulator,
      predict,
      hotline,
    },
    dispose() {
      for (const off of offs) off();
      board.getState().dispose();
      wall.getState().stop();
      fleet.getState().dispose();
      connectors.getState().dispose();
      telemetryStats.getState().dispose();
      simulator.getState().dispose();
      predict.getState().dispose();
      hotline.getState().dispose();
    },
  };
}
