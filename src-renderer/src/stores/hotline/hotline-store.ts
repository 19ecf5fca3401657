import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  ClassifierTrainingProgress,
  ClassifySuggestion,
  DispatchState,
  EventPayload,
  HotlineClassifierInfo,
  HotlineKpi,
  IncomingCall,
  MatrixRow,
  MethodResult,
  ResponsibilityMatrix,
  RouteAnswer,
  SubmitCallParams,
  TrainClassifierParams,
} from '@shared/contract';
import type { RpcClient } from '../../rpc/client';
import {
  type ClassifyWorkerLike,
  LocalClassifier,
  type LocalClassifierStatus,
} from '../../workers/classify-client';
import { toAppError, type AppError } from '../errors';
import { emptySlot, slotFetcher, type Slot as KeyedSlot } from '../slot';
import {
  EMPTY_DRAFT,
  draftFromCall,
  effectiveCategory,
  placeKey,
  placeOf,
  submitParams,
  type TriageDraft,
} from './triage-model';

export type Duplicate = MethodResult<'hotline/duplicates'>[number];
export type SubmitResult = MethodResult<'hotline/submit'>;
export type DispatchCommand = 'accept' | 'reassign';

export interface ReassignInput {
  departmentId: string;
  reason: string;
  /** The corrected taxonomy path, when the request was also misclassified. */
  category?: string;
}

/** One thing fetched from the core, about nothing in particular (its key is always 'all'). */
export type Slot<V> = KeyedSlot<'all', V>;

export interface HotlineState {
  queue: Slot<IncomingCall[]>;
  /** How many calls wait (from `hotline/queueChanged`, or the queue's length). */
  waiting: number;
  draft: TriageDraft;
  /** The classifier's answer for the draft's current text (null while empty). */
  suggestion: ClassifySuggestion | null;
  classifying: boolean;
  classifyError: AppError | null;
  /** Who answered `suggestion`: the console's classify worker (`local`) or the core (`server`). */
  suggestionSource: 'local' | 'server' | null;
  /** The console's classify worker; the core answers while it is not `ready`. */
  localClassifier: LocalClassifierStatus;
  /** Where the draft's place is, and who owns its category there. */
  route: RouteAnswer | null;
  /** The runner-up category's owner at the place (shown when the classifier is unsure). */
  altRoute: RouteAnswer | null;
  routing: boolean;
  routeError: AppError | null;
  duplicates: Duplicate[];
  submitting: boolean;
  submitError: AppError | null;
  /** The last dispatched request (the card shows its number until the next call starts). */
  lastSubmitted: SubmitResult | null;
  kpi: Slot<HotlineKpi>;
  matrix: Slot<ResponsibilityMatrix>;
  savingMatrix: boolean;
  matrixSaveError: AppError | null;
  /** The hub's classifier (seed or trained from closed tickets) and its held-out report. */
  classifier: Slot<HotlineClassifierInfo>;
  training: boolean;
  /** Why the last training was refused (too few examples: `details.classes` lists the short ones). */
  trainError: AppError | null;
  /**
   * The hub's running training (this console's or another's), from `hotline/classifierProgress`;
   * null when none runs.
   */
  trainProgress: ClassifierTrainingProgress | null;
  /** The model the console's classify worker answers with, once it matches the hub's (null: not yet). */
  localModel: 'seed' | 'trained' | null;
  /** The dispatch of the ticket in the board's drawer (data null: not a hotline request). */
  dispatch: KeyedSlot<string, DispatchState | null>;
  dispatchBusy: DispatchCommand | null;
  dispatchError: { command: DispatchCommand; error: AppError } | null;
  /** A queued call being taken off the queue without a ticket. */
  dismissing: boolean;
  dismissError: AppError | null;

  loadQueue(): Promise<void>;
  /** Takes a queued call into the card (classified and located at once). */
  pick(callId: string): void;
  /** Moves the pick up or down the queue (the ↑↓ keys). */
  pickNext(step: 1 | -1): void;
  /** An empty card for a call typed from scratch. */
  newCall(): void;
  setCaller(patch: Partial<Pick<TriageDraft, 'callerName' | 'callerPhone' | 'channel'>>): void;
  /** The call text; classification follows after a short pause in typing. */
  setText(text: string): void;
  setAddress(address: string): void;
  /** Coordinates by hand: a click on the map or a picked candidate (wins over the address). */
  setPlace(place: { lng: number; lat: number; source: 'candidate' | 'map' } | null): void;
  /** The agent's category (null: back to the suggestion). */
  setCategory(category: string | null): void;
  /** The agent's department(s) (null: back to the proposal). */
  setDepartments(departmentIds: string[] | null): void;
  linkDuplicate(ticketId: string | null): void;
  /** Dispatches the card; resolves with the ticket, or null (see `submitError`). */
  submit(): Promise<SubmitResult | null>;
  clearSubmitError(): void;

  /** The KPI is fetched while a view watches it (and refreshed on dispatch pushes then). */
  watchKpi(on: boolean): void;
  loadKpi(): Promise<void>;
  loadMatrix(): Promise<void>;
  /** Saves the matrix against the loaded version. False when refused (see `matrixSaveError`). */
  saveMatrix(rows: MatrixRow[], doubleDispatchBelow: number, note: string): Promise<boolean>;
  clearMatrixSaveError(): void;
  loadClassifier(): Promise<void>;
  /** Trains a model from the closed tickets and puts it in use. False when refused (see `trainError`). */
  trainClassifier(params?: TrainClassifierParams): Promise<boolean>;
  clearTrainError(): void;
  applyClassifierChanged(payload: EventPayload<'hotline/classifierChanged'>): void;
  applyClassifierProgress(payload: EventPayload<'hotline/classifierProgress'>): void;

  /** Follows the drawer's ticket: fetches its dispatch (null: nothing shown). */
  showDispatch(ticketId: string | null): void;
  /** A department takes the shown double-dispatched request; false when refused (see `dispatchError`). */
  acceptDispatch(departmentId: string): Promise<boolean>;
  /** Sends the shown request to another department, with a reason; false when refused. */
  reassignDispatch(input: ReassignInput): Promise<boolean>;
  clearDispatchError(): void;
  /** Takes a queued call off the queue without a ticket; false when refused (see `dismissError`). */
  dismissCall(incomingId: string, reason: string): Promise<boolean>;
  clearDismissError(): void;

  applyQueueChanged(payload: EventPayload<'hotline/queueChanged'>): void;
  applyChanged(payload: EventPayload<'hotline/changed'>): void;
  reconnected(): void;
  dispose(): void;
}

export type HotlineStore = StoreApi<HotlineState>;

export interface HotlineStoreOptions {
  /** Pause in typing before the text is classified (ms). */
  classifyDelayMs?: number;
  /** Pause in typing before the address is looked up (ms). */
  routeDelayMs?: number;
  /** Pushes come per dispatch; KPI refetches are held to one per this many ms. */
  refreshMs?: number;
  /**
   * Builds the classify worker for as-you-type suggestions (default: the app's worker; null or a
   * function returning null: always ask the core).
   */
  classifyWorker?: (() => ClassifyWorkerLike | null) | null;
  /** A worker request unanswered this long stops the worker; the core answers instead (ms). */
  classifyWorkerTimeoutMs?: number;
}

export function createHotlineStore(client: RpcClient, options: HotlineStoreOptions = {}): HotlineStore {
  const classifyDelay = options.classifyDelayMs ?? 150;
  const routeDelay = options.routeDelayMs ?? 300;
  const refreshMs = options.refreshMs ?? 1500;
  const seq = { classify: 0, route: 0, dup: 0, model: 0 };
  const timers: {
    classify: ReturnType<typeof setTimeout> | null;
    route: ReturnType<typeof setTimeout> | null;
  } = { classify: null, route: null };
  let kpiTimer: ReturnType<typeof setTimeout> | null = null;
  let lastKpi = 0;
  let watchingKpi = 0;
  /** What the current route/duplicates answers are for, so equal inputs are not asked twice. */
  let routedFor = '';
  let dupFor = '';
  /** The matrix is fetched once for the worker's double-dispatch threshold. */
  let thresholdAsked = false;
  /** The worker answers only once it uses the hub's model (fetched by `hotline/classifierModel`). */
  let modelSynced = false;
  let modelSyncing = false;

  const clearTimer = (k: keyof typeof timers): void => {
    const t = timers[k];
    if (t) clearTimeout(t);
    timers[k] = null;
  };

  // Subscribed here rather than with the other pushes: the store's own worker must follow the hub's model.
  let offClassifierChanged: () => void = () => undefined;
  let offClassifierProgress: () => void = () => undefined;

  const store = createStore<HotlineState>()((set, get) => {
    const local = new LocalClassifier({
      createWorker: options.classifyWorker === null ? () => null : options.classifyWorker,
      timeoutMs: options.classifyWorkerTimeoutMs,
      onStatus: (status) => set({ localClassifier: status }),
    });

    /**
     * Gives the worker the hub's model: the trained model's JSON, or the seed (sent only when the
     * worker uses another). Until it is done the core answers; a worker that cannot load it fails.
     */
    const syncModel = async (): Promise<void> => {
      const n = ++seq.model;
      modelSynced = false;
      modelSyncing = true;
      set({ localModel: null });
      try {
        const { kind, model } = await client.call('hotline/classifierModel', {});
        if (n !== seq.model) return;
        if (kind === 'trained' || local.modelKind !== 'seed')
          await local.useModel(kind === 'trained' ? model : null);
        if (n !== seq.model) return;
        modelSynced = true;
        set({ localModel: local.modelKind });
      } catch {
        // The hub did not answer (asked again on the next text) or the worker failed (the core answers).
      } finally {
        if (n === seq.model) modelSyncing = false;
      }
    };

    /** The hub's model changed (or may have, after a reconnect): the worker must follow. */
    const resyncModel = (): void => {
      seq.model++;
      modelSynced = false;
      modelSyncing = false;
      set({ localModel: null });
      if (local.status === 'starting' || local.status === 'ready') void syncModel();
    };

    /** The worker's suggestion, or null when the core must answer (worker not ready, failed, refused). */
    const classifyLocally = async (text: string): Promise<ClassifySuggestion | null> => {
      local.start();
      if (!modelSynced && !modelSyncing && (local.status === 'starting' || local.status === 'ready'))
        void syncModel();
      if (local.status !== 'ready' || !modelSynced) return null;
      const threshold = get().matrix.data?.doubleDispatchBelow;
      if (threshold === undefined) {
        if (!thresholdAsked && !get().matrix.loading) {
          thresholdAsked = true;
          void get().loadMatrix();
        }
        return null;
      }
      try {
        return (await local.classify(text, threshold)).suggestion;
      } catch {
        // Bad text: the core words the refusal for the agent; a failed worker: the core answers.
        return null;
      }
    };

    const classifyNow = async (): Promise<void> => {
      clearTimer('classify');
      const text = get().draft.text.trim();
      const n = ++seq.classify;
      if (!text) {
        set({ suggestion: null, suggestionSource: null, classifying: false, classifyError: null });
        routeNow();
        return;
      }
      set({ classifying: true });
      const localSuggestion = await classifyLocally(text.slice(0, 5000));
      if (n !== seq.classify) return;
      if (localSuggestion) {
        set({
          suggestion: localSuggestion,
          suggestionSource: 'local',
          classifying: false,
          classifyError: null,
        });
        routeNow();
        return;
      }
      try {
        const suggestion = await client.call('hotline/classify', { text: text.slice(0, 5000) });
        if (n !== seq.classify) return;
        set({ suggestion, suggestionSource: 'server', classifying: false, classifyError: null });
      } catch (err) {
        if (n !== seq.classify) return;
        set({ classifying: false, classifyError: toAppError(err) });
      }
      routeNow();
    };

    /** Routes the draft's place with its effective category, unless that was just asked. */
    const routeNow = (): void => {
      clearTimer('route');
      const { draft, suggestion } = get();
      const place = placeOf(draft);
      const category = effectiveCategory(draft, suggestion);
      const alt =
        suggestion?.lowConfidence && !draft.category ? (suggestion.alternatives[0]?.category ?? null) : null;
      const key = `${placeKey(place)}|${category ?? ''}|${alt ?? ''}`;
      if (key === routedFor) return;
      routedFor = key;
      const n = ++seq.route;
      if (!place) {
        set({ route: null, altRoute: null, routing: false, routeError: null });
        findDuplicates();
        return;
      }
      set({ routing: true });
      void (async () => {
        try {
          const [route, altRoute] = await Promise.all([
            client.call('hotline/route', category ? { place, category } : { place }),
            alt ? client.call('hotline/route', { place, category: alt }) : Promise.resolve(null),
          ]);
          if (n !== seq.route) return;
          set({ route, altRoute, routing: false, routeError: null });
        } catch (err) {
          if (n !== seq.route) return;
          routedFor = '';
          set({ route: null, altRoute: null, routing: false, routeError: toAppError(err) });
        }
        findDuplicates();
      })();
    };

    /** Earlier requests of the same category nearby (needs a located place and a category). */
    const findDuplicates = (): void => {
      const { route, draft, suggestion } = get();
      const category = effectiveCategory(draft, suggestion);
      const loc = route?.location;
      const key = loc && category ? `${loc.lng},${loc.lat}|${category}` : '';
      if (key === dupFor) return;
      dupFor = key;
      const n = ++seq.dup;
      if (!loc || !category) {
        set({ duplicates: [] });
        return;
      }
      void client.call('hotline/duplicates', { category, lng: loc.lng, lat: loc.lat }).then(
        (duplicates) => {
          if (n !== seq.dup) return;
          const { duplicateOf } = get().draft;
          set((s) => ({
            duplicates,
            // A link to a request no longer listed goes.
            draft:
              duplicateOf && !duplicates.some((d) => d.ticketId === duplicateOf)
                ? { ...s.draft, duplicateOf: null }
                : s.draft,
          }));
        },
        () => {
          // Duplicates are a hint: without them the card still works.
          if (n === seq.dup) set({ duplicates: [] });
        },
      );
    };

    const startDraft = (draft: TriageDraft): void => {
      clearTimer('classify');
      clearTimer('route');
      routedFor = '';
      dupFor = '';
      seq.classify++;
      seq.route++;
      seq.dup++;
      set({
        draft,
        suggestion: null,
        suggestionSource: null,
        classifying: false,
        classifyError: null,
        route: null,
        altRoute: null,
        routing: false,
        routeError: null,
        duplicates: [],
        submitError: null,
      });
      void classifyNow();
    };

    const patchDraft = (patch: Partial<TriageDraft>): void =>
      set((s) => ({ draft: { ...s.draft, ...patch } }));

    const slots = {
      queue: slotFetcher(
        () => get().queue,
        (queue) => set({ queue }),
      ),
      kpi: slotFetcher(
        () => get().kpi,
        (kpi) => set({ kpi }),
      ),
      matrix: slotFetcher(
        () => get().matrix,
        (matrix) => set({ matrix }),
      ),
      classifier: slotFetcher(
        () => get().classifier,
        (classifier) => set({ classifier }),
      ),
    };

    /** A call taken or dismissed leaves the list at once (no older fetch brings it back); the hub's list follows. */
    const dropFromQueue = (incomingId: string): void => {
      slots.queue.invalidate();
      set((s) => ({
        queue: { ...s.queue, data: s.queue.data?.filter((c) => c.id !== incomingId) ?? null },
      }));
      void get().loadQueue();
    };

    const fetchKpi = async (): Promise<void> => {
      lastKpi = Date.now();
      await slots.kpi.load('all', () => client.call('hotline/kpi', {}));
    };

    const scheduleKpi = (): void => {
      if (watchingKpi <= 0 || kpiTimer) return;
      const wait = Math.max(0, lastKpi + refreshMs - Date.now());
      kpiTimer = setTimeout(() => {
        kpiTimer = null;
        if (watchingKpi > 0) void fetchKpi();
      }, wait);
    };

    const dispatchSlot = slotFetcher(
      () => get().dispatch,
      (dispatch) => set({ dispatch }),
    );
    const fetchDispatch = (ticketId: string, quiet: boolean): Promise<unknown> =>
      dispatchSlot.load(ticketId, () => client.call('hotline/dispatch', { ticketId }), {
        quiet,
        wanted: () => get().dispatch.key === ticketId,
      });

    /** Runs one dispatch command on the shown ticket; its answer is the new dispatch state. */
    const dispatchCommand = async (
      command: DispatchCommand,
      run: (ticketId: string) => Promise<DispatchState>,
    ): Promise<boolean> => {
      const ticketId = get().dispatch.key;
      if (!ticketId || get().dispatchBusy) return false;
      set({ dispatchBusy: command, dispatchError: null });
      try {
        const data = await run(ticketId);
        if (get().dispatch.key === ticketId) {
          // Newer than any fetch in flight (the push it caused may already be on its way).
          dispatchSlot.invalidate();
          set({ dispatchBusy: null, dispatch: { key: ticketId, data, loading: false, error: null } });
        } else {
          // The drawer moved on meanwhile: the other ticket's fetch stays valid.
          set({ dispatchBusy: null });
        }
        scheduleKpi();
        return true;
      } catch (err) {
        // A refusal about a ticket no longer shown would be read as one about the shown ticket.
        set({
          dispatchBusy: null,
          dispatchError:
            get().dispatch.key === ticketId ? { command, error: toAppError(err) } : get().dispatchError,
        });
        return false;
      }
    };

    return {
      queue: emptySlot(),
      waiting: 0,
      draft: EMPTY_DRAFT,
      suggestion: null,
      suggestionSource: null,
      localClassifier: 'off',
      classifying: false,
      classifyError: null,
      route: null,
      altRoute: null,
      routing: false,
      routeError: null,
      duplicates: [],
      submitting: false,
      submitError: null,
      lastSubmitted: null,
      kpi: emptySlot(),
      matrix: emptySlot(),
      savingMatrix: false,
      matrixSaveError: null,
      classifier: emptySlot(),
      training: false,
      trainError: null,
      trainProgress: null,
      localModel: null,
      dispatch: emptySlot(),
      dispatchBusy: null,
      dispatchError: null,
      dismissing: false,
      dismissError: null,

      async loadQueue() {
        const data = await slots.queue.load('all', () => client.call('hotline/queue', {}));
        if (data) set({ waiting: data.length });
      },

      pick(callId) {
        const call = get().queue.data?.find((c) => c.id === callId);
        if (!call || get().draft.incomingId === callId) return;
        startDraft(draftFromCall(call));
      },

      pickNext(step) {
        const calls = get().queue.data ?? [];
        if (!calls.length) return;
        const at = calls.findIndex((c) => c.id === get().draft.incomingId);
        const next =
          at < 0 ? (step > 0 ? 0 : calls.length - 1) : Math.min(calls.length - 1, Math.max(0, at + step));
        get().pick(calls[next]!.id);
      },

      newCall() {
        startDraft(EMPTY_DRAFT);
      },

      setCaller(patch) {
        patchDraft(patch.callerPhone !== undefined ? { ...patch, phoneMasked: false } : patch);
      },

      setText(text) {
        patchDraft({ text });
        clearTimer('classify');
        timers.classify = setTimeout(() => void classifyNow(), classifyDelay);
      },

      setAddress(address) {
        // A typed address replaces a picked or clicked place (the caller's coordinates stay).
        const place = get().draft.place;
        patchDraft({ address, place: place?.source === 'caller' ? place : null });
        clearTimer('route');
        timers.route = setTimeout(routeNow, routeDelay);
      },

      setPlace(place) {
        patchDraft({ place });
        routeNow();
      },

      setCategory(category) {
        patchDraft({ category: category?.trim() || null });
        routeNow();
        findDuplicates();
      },

      setDepartments(departmentIds) {
        patchDraft({ departmentIds: departmentIds?.length ? departmentIds.slice(0, 2) : null });
      },

      linkDuplicate(ticketId) {
        patchDraft({ duplicateOf: ticketId });
      },

      async submit() {
        if (get().submitting) return null;
        // Take the text as typed now, not as it was 150 ms ago.
        if (timers.classify) await classifyNow();
        const built = submitParams(get().draft, get().suggestion);
        if ('missing' in built) {
          set({
            submitError: {
              code: 'INVALID_ARGUMENT',
              message: built.missing === 'text' ? 'text: empty' : 'text: too long',
              details: { issues: [{ path: 'text', message: built.missing }] },
            },
          });
          return null;
        }
        const params: SubmitCallParams = built.params;
        set({ submitting: true, submitError: null });
        try {
          const result = await client.call('hotline/submit', params);
          set({ submitting: false, lastSubmitted: result });
          startDraft(EMPTY_DRAFT);
          if (params.incomingId) dropFromQueue(params.incomingId);
          else void get().loadQueue();
          scheduleKpi();
          return result;
        } catch (err) {
          set({ submitting: false, submitError: toAppError(err) });
          return null;
        }
      },

      clearSubmitError() {
        set({ submitError: null });
      },

      watchKpi(on) {
        watchingKpi += on ? 1 : -1;
        if (on && watchingKpi === 1) void fetchKpi();
      },

      loadKpi: fetchKpi,

      async loadMatrix() {
        await slots.matrix.load('all', () => client.call('hotline/matrix', {}));
      },

      async saveMatrix(rows, doubleDispatchBelow, note) {
        const loaded = get().matrix.data;
        if (!loaded || get().savingMatrix) return false;
        set({ savingMatrix: true, matrixSaveError: null });
        try {
          const data = await client.call('hotline/setMatrix', {
            rows,
            doubleDispatchBelow,
            version: loaded.version,
            note,
          });
          slots.matrix.invalidate();
          set({ savingMatrix: false, matrix: { key: 'all', data, loading: false, error: null } });
          // A new matrix may route the card's request elsewhere.
          routedFor = '';
          routeNow();
          return true;
        } catch (err) {
          set({ savingMatrix: false, matrixSaveError: toAppError(err) });
          return false;
        }
      },

      clearMatrixSaveError() {
        set({ matrixSaveError: null });
      },

      async loadClassifier() {
        await slots.classifier.load('all', () => client.call('hotline/classifierInfo', {}));
      },

      async trainClassifier(params = {}) {
        if (get().training) return false;
        set({ training: true, trainError: null });
        try {
          const data = await client.call('hotline/trainClassifier', params);
          slots.classifier.invalidate();
          set({
            training: false,
            trainProgress: null,
            classifier: { key: 'all', data, loading: false, error: null },
          });
          resyncModel();
          return true;
        } catch (err) {
          set({ training: false, trainError: toAppError(err) });
          return false;
        }
      },

      clearTrainError() {
        set({ trainError: null });
      },

      applyClassifierProgress(payload) {
        const ended = payload.phase === 'done' || payload.phase === 'failed';
        const current = get().trainProgress;
        // A late event of an earlier training does not bring back a finished one.
        if (current && payload.startedAt < current.startedAt) return;
        set({ trainProgress: ended ? null : payload });
      },

      applyClassifierChanged() {
        resyncModel();
        if (get().classifier.data || get().classifier.error) void get().loadClassifier();
      },

      showDispatch(ticketId) {
        if (get().dispatch.key === ticketId) return;
        dispatchSlot.invalidate();
        set({
          dispatch: ticketId ? { key: ticketId, data: null, loading: true, error: null } : emptySlot(),
          dispatchError: null,
        });
        if (ticketId) void fetchDispatch(ticketId, false);
      },

      acceptDispatch(departmentId) {
        return dispatchCommand('accept', (ticketId) =>
          client.call('hotline/accept', { ticketId, departmentId }),
        );
      },

      reassignDispatch(input) {
        const category = input.category?.trim();
        return dispatchCommand('reassign', (ticketId) =>
          client.call('hotline/reassign', {
            ticketId,
            departmentId: input.departmentId,
            reason: input.reason.trim(),
            ...(category ? { category } : {}),
          }),
        );
      },

      clearDispatchError() {
        set({ dispatchError: null });
      },

      async dismissCall(incomingId, reason) {
        if (get().dismissing) return false;
        set({ dismissing: true, dismissError: null });
        try {
          const { waiting } = await client.call('hotline/dismissCall', { incomingId, reason: reason.trim() });
          set({ dismissing: false, waiting });
          dropFromQueue(incomingId);
          // The card held this call: it starts empty for the next one.
          if (get().draft.incomingId === incomingId) startDraft(EMPTY_DRAFT);
          return true;
        } catch (err) {
          set({ dismissing: false, dismissError: toAppError(err) });
          return false;
        }
      },

      clearDismissError() {
        set({ dismissError: null });
      },

      applyQueueChanged(payload) {
        set({ waiting: payload.waiting });
        void get().loadQueue();
      },

      applyChanged(payload) {
        scheduleKpi();
        const { key } = get().dispatch;
        if (key === payload.ticketId) void fetchDispatch(key, true);
      },

      reconnected() {
        // A hub that restarted mid-training never ends that training's progress; a running one sends more.
        set({ trainProgress: null });
        void get().loadQueue();
        const shown = get().dispatch.key;
        if (shown) void fetchDispatch(shown, true);
        if (watchingKpi > 0) void fetchKpi();
        if (get().matrix.data || get().matrix.error) void get().loadMatrix();
        if (get().classifier.data || get().classifier.error) void get().loadClassifier();
        resyncModel();
        routedFor = '';
        dupFor = '';
        if (get().draft.text.trim()) void classifyNow();
      },

      dispose() {
        offClassifierChanged();
        offClassifierProgress();
        local.stop();
        clearTimer('classify');
        clearTimer('route');
        if (kpiTimer) clearTimeout(kpiTimer);
        kpiTimer = null;
      },
    };
  });
  offClassifierChanged = client.on('hotline/classifierChanged', (payload) =>
    store.getState().applyClassifierChanged(payload),
  );
  offClassifierProgress = client.on('hotline/classifierProgress', (payload) =>
    store.getState().applyClassifierProgress(payload),
  );
  return store;
}
