import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  DevicePrediction,
  EventPayload,
  Outcome,
  PolicySet,
  PredictConfig,
  PredictConfigSet,
  PredictionRecord,
  PredictivePolicy,
  PredictStatus,
  QualityFilter,
  QualityReport,
  Ticket,
  TicketChange,
} from '@shared/contract';
import type { RpcClient } from '../../rpc/client';
import { toAppError, type AppError } from '../errors';
import { emptySlot as empty, slotFetcher, type Slot } from '../slot';

export type { Slot } from '../slot';

/** The quality page's filters (the contract's QualityFilter without the telemetry-time range). */
export interface QualityFilters {
  deviceKind: string;
  modelVersion: string;
  minLeadHours: number;
}

export const DEFAULT_QUALITY_FILTERS: QualityFilters = { deviceKind: '', modelVersion: '', minLeadHours: 4 };

export interface PredictState {
  status: PredictStatus | null;
  statusError: AppError | null;
  /** The device the device drawer shows a prediction for. */
  device: Slot<string, DevicePrediction>;
  /** The preventive ticket the board's drawer shows (its prediction record; null: not predictive). */
  ticket: Slot<string, PredictionRecord | null>;
  quality: Slot<string, QualityReport>;
  qualityFilters: QualityFilters;
  policies: Slot<'all', PolicySet>;
  /** The predictive configuration (knowledge graph, depots, engineers, dispatch, weather). */
  predictConfig: Slot<'all', PredictConfigSet>;
  /** A command in flight (its button shows progress and stays disabled). */
  busy: PredictCommand | null;
  /** The last failed command, shown in its dialog or panel. */
  commandError: { command: PredictCommand; error: AppError } | null;
  /** The ticket whose "close with outcome" dialog is open (the drawer's resolve action opens it too). */
  outcomeFor: string | null;

  loadStatus(): Promise<void>;
  showDevice(sn: string | null): void;
  showTicket(ticketId: string | null): void;
  /** Quality and policies are fetched while a page watches them (and refreshed on pushes then). */
  watchQuality(on: boolean): void;
  setQualityFilters(patch: Partial<QualityFilters>): void;
  loadQuality(): Promise<void>;
  loadPolicies(): Promise<void>;
  loadPredictConfig(): Promise<void>;
  overrideDispatch(userId: string, reason: string): Promise<PredictionRecord | null>;
  recordOutcome(ticketId: string, version: number, outcome: Outcome, note: string): Promise<Ticket | null>;
  setPolicy(policy: PredictivePolicy, note: string): Promise<boolean>;
  /**
   * Saves a whole configuration against the loaded version; `command` tells the form from the
   * import dialog, so each shows its own error. False when refused (see `commandError`).
   */
  setPredictConfig(
    config: PredictConfig,
    note: string,
    command?: 'config' | 'config-import',
  ): Promise<boolean>;
  clearCommandError(): void;
  openOutcome(ticketId: string): void;
  closeOutcome(): void;
  /** `predict/changed`: a cycle ran or a policy changed. */
  applyChanged(payload: EventPayload<'predict/changed'>): void;
  /** `tickets/changed`: a preventive ticket's risk update or outcome shows in its record. */
  applyTicketChanges(changes: readonly TicketChange[]): void;
  /** After a reconnect: fetch again whatever is shown. */
  reconnected(): void;
  dispose(): void;
}

export type PredictStore = StoreApi<PredictState>;

export type PredictCommand = 'override' | 'outcome' | 'policy' | 'config' | 'config-import';

export interface PredictStoreOptions {
  /**
   * Pushes come once per prediction cycle, which the time-compressed simulator runs several times a
   * second: refetches are held to one per this many milliseconds.
   */
  refreshMs?: number;
}

/** The filter as the contract takes it: empty choices are left out (all kinds, all versions). */
export function qualityParams(f: QualityFilters): QualityFilter {
  const out: QualityFilter = { minLeadHours: f.minLeadHours };
  if (f.deviceKind) out.deviceKind = f.deviceKind;
  if (f.modelVersion) out.modelVersion = f.modelVersion;
  return out;
}

const filterKey = (f: QualityFilters): string => JSON.stringify(qualityParams(f));

export function createPredictStore(client: RpcClient, options: PredictStoreOptions = {}): PredictStore {
  const refreshMs = options.refreshMs ?? 2000;
  let statusSeq = 0;
  let watchingQuality = 0;
  let lastPolicyVersion = -1;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastRefresh = 0;
  let pending = {
    status: false,
    device: false,
    ticket: false,
    quality: false,
    policies: false,
    config: false,
  };

  return createStore<PredictState>()((set, get) => {
    const slots = {
      device: slotFetcher(
        () => get().device,
        (device) => set({ device }),
      ),
      ticket: slotFetcher(
        () => get().ticket,
        (ticket) => set({ ticket }),
      ),
      quality: slotFetcher(
        () => get().quality,
        (quality) => set({ quality }),
      ),
      policies: slotFetcher(
        () => get().policies,
        (policies) => set({ policies }),
      ),
      config: slotFetcher(
        () => get().predictConfig,
        (predictConfig) => set({ predictConfig }),
      ),
    };
    const fetchDevice = (sn: string, quiet: boolean): Promise<unknown> =>
      slots.device.load(sn, () => client.call('predict/device', { sn }), {
        quiet,
        wanted: () => get().device.key === sn,
      });
    const fetchTicket = (ticketId: string, quiet: boolean): Promise<unknown> =>
      slots.ticket.load(ticketId, () => client.call('predict/ticket', { ticketId }), {
        quiet,
        wanted: () => get().ticket.key === ticketId,
      });

    const runRefresh = (): void => {
      timer = null;
      lastRefresh = Date.now();
      const due = pending;
      pending = {
        status: false,
        device: false,
        ticket: false,
        quality: false,
        policies: false,
        config: false,
      };
      const s = get();
      if (due.status) void s.loadStatus();
      if (due.device && s.device.key) void fetchDevice(s.device.key, true);
      if (due.ticket && s.ticket.key) void fetchTicket(s.ticket.key, true);
      if (due.quality && watchingQuality > 0) void s.loadQuality();
      if (due.policies && watchingQuality > 0) void s.loadPolicies();
      if (due.config && watchingQuality > 0) void s.loadPredictConfig();
    };

    /** Marks what to refetch and runs at most once per `refreshMs` (the first one at once). */
    const schedule = (what: Partial<typeof pending>): void => {
      pending = {
        status: pending.status || !!what.status,
        device: pending.device || !!what.device,
        ticket: pending.ticket || !!what.ticket,
        quality: pending.quality || !!what.quality,
        policies: pending.policies || !!what.policies,
        config: pending.config || !!what.config,
      };
      if (timer) return;
      const wait = Math.max(0, lastRefresh + refreshMs - Date.now());
      timer = setTimeout(runRefresh, wait);
    };

    return {
      status: null,
      statusError: null,
      device: empty(),
      ticket: empty(),
      quality: empty(),
      qualityFilters: DEFAULT_QUALITY_FILTERS,
      policies: empty(),
      predictConfig: empty(),
      busy: null,
      commandError: null,
      outcomeFor: null,

      async loadStatus() {
        const n = ++statusSeq;
        try {
          const status = await client.call('predict/status', {});
          if (n !== statusSeq) return;
          set({ status, statusError: null });
        } catch (err) {
          if (n !== statusSeq) return;
          set({ statusError: toAppError(err) });
        }
      },

      showDevice(sn) {
        if (get().device.key === sn) return;
        slots.device.invalidate();
        set({ device: sn ? { key: sn, data: null, loading: true, error: null } : empty() });
        if (sn) void fetchDevice(sn, false);
      },

      showTicket(ticketId) {
        if (get().ticket.key === ticketId) return;
        slots.ticket.invalidate();
        set({
          ticket: ticketId ? { key: ticketId, data: null, loading: true, error: null } : empty(),
          commandError: null,
          outcomeFor: null,
        });
        if (ticketId) void fetchTicket(ticketId, false);
      },

      watchQuality(on) {
        watchingQuality = Math.max(0, watchingQuality + (on ? 1 : -1));
        if (on && watchingQuality === 1) {
          void get().loadQuality();
          void get().loadPolicies();
          void get().loadPredictConfig();
          void get().loadStatus();
        }
      },

      setQualityFilters(patch) {
        const next = { ...get().qualityFilters, ...patch };
        if (!Number.isFinite(next.minLeadHours) || next.minLeadHours < 0) next.minLeadHours = 0;
        if (next.minLeadHours > 168) next.minLeadHours = 168;
        set({ qualityFilters: next });
        void get().loadQuality();
      },

      async loadQuality() {
        const filters = get().qualityFilters;
        await slots.quality.load(filterKey(filters), () =>
          client.call('predict/quality', qualityParams(filters)),
        );
      },

      async loadPolicies() {
        const data = await slots.policies.load('all', () => client.call('predict/policies', {}));
        if (data) lastPolicyVersion = data.version;
      },

      async loadPredictConfig() {
        await slots.config.load('all', () => client.call('predict/config', {}));
      },

      async overrideDispatch(userId, reason) {
        const ticketId = get().ticket.key;
        if (!ticketId || get().busy) return null;
        set({ busy: 'override', commandError: null });
        try {
          const record = await client.call('predict/overrideDispatch', { ticketId, userId, reason });
          slots.ticket.invalidate();
          set((s) => ({
            busy: null,
            ticket:
              s.ticket.key === ticketId
                ? { key: ticketId, data: record, loading: false, error: null }
                : s.ticket,
          }));
          return record;
        } catch (err) {
          set({ busy: null, commandError: { command: 'override', error: toAppError(err) } });
          return null;
        }
      },

      async recordOutcome(ticketId, version, outcome, note) {
        if (get().busy) return null;
        set({ busy: 'outcome', commandError: null });
        try {
          const ticket = await client.call('predict/recordOutcome', { ticketId, version, outcome, note });
          set({ busy: null, outcomeFor: null });
          if (get().ticket.key === ticketId) void fetchTicket(ticketId, true);
          if (watchingQuality > 0) void get().loadQuality();
          void get().loadStatus();
          return ticket;
        } catch (err) {
          set({ busy: null, commandError: { command: 'outcome', error: toAppError(err) } });
          return null;
        }
      },

      async setPolicy(policy, note) {
        const version = get().policies.data?.version;
        if (version === undefined || get().busy) return false;
        set({ busy: 'policy', commandError: null });
        try {
          const data = await client.call('predict/setPolicy', { policy, version, note });
          slots.policies.invalidate();
          lastPolicyVersion = data.version;
          set({ busy: null, policies: { key: 'all', data, loading: false, error: null } });
          return true;
        } catch (err) {
          set({ busy: null, commandError: { command: 'policy', error: toAppError(err) } });
          return false;
        }
      },

      async setPredictConfig(config, note, command = 'config') {
        const version = get().predictConfig.data?.version;
        if (version === undefined || get().busy) return false;
        set({ busy: command, commandError: null });
        try {
          const data = await client.call('predict/setConfig', { config, version, note });
          slots.config.invalidate();
          set({ busy: null, predictConfig: { key: 'all', data, loading: false, error: null } });
          return true;
        } catch (err) {
          set({ busy: null, commandError: { command, error: toAppError(err) } });
          return false;
        }
      },

      clearCommandError() {
        set({ commandError: null });
      },

      openOutcome(ticketId) {
        set({ outcomeFor: ticketId, commandError: null });
      },

      closeOutcome() {
        set({ outcomeFor: null, commandError: null });
      },

      applyChanged(payload) {
        const policiesChanged = payload.policyVersion !== lastPolicyVersion;
        // Someone saved the configuration: the editor rebases its draft on the new one.
        const loaded = get().predictConfig.data;
        const configChanged = loaded !== null && payload.configVersion !== loaded.version;
        schedule({
          status: true,
          device: true,
          ticket: true,
          quality: true,
          policies: policiesChanged,
          config: configChanged,
        });
      },

      applyTicketChanges(changes) {
        const id = get().ticket.key;
        const mine = id !== null && changes.some((c) => c.ticket.id === id);
        // A ticket closing or opening anywhere moves the preventive share and the verdicts.
        schedule({ ticket: mine, quality: true, status: true });
      },

      reconnected() {
        schedule({ status: true, device: true, ticket: true, quality: true, policies: true, config: true });
      },

      dispose() {
        if (timer) clearTimeout(timer);
        timer = null;
      },
    };
  });
}
