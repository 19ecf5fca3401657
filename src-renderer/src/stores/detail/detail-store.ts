import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Assignee, LinkKind, Ticket, TicketChange, TicketPatch } from '@shared/contract';
import type { RpcClient } from '../../rpc/client';
import { toAppError, type AppError } from '../errors';

export type DetailAction = 'load' | 'update' | 'transition' | 'assign' | 'comment' | 'link';

export interface DetailState {
  openId: string | null;
  ticket: Ticket | null;
  loading: boolean;
  /** Error loading the ticket. */
  error: AppError | null;
  /** Which command runs now (buttons show progress and stay disabled). */
  busy: DetailAction | null;
  /** The last failed command, shown at the top of the drawer with its code. */
  actionError: { action: DetailAction; error: AppError } | null;
  /** The open ticket changed elsewhere since it was loaded (a reload is on its way). */
  stale: boolean;
  /** The edit form is open (a live update of the same ticket keeps it open with its draft). */
  editing: boolean;
  /** The edit form holds a draft that differs from what it loaded: leaving asks first. */
  dirty: boolean;
  /** A leave (close, another ticket) held back until the operator keeps editing or discards. */
  pendingLeave: (() => void) | null;

  open(id: string): Promise<void>;
  openByNumber(number: string): Promise<boolean>;
  close(): void;
  reload(): Promise<void>;
  /** `baseVersion`: the version the edit started from (a stale one gets CONFLICT, never a lost update). */
  update(patch: TicketPatch, note?: string, baseVersion?: number): Promise<boolean>;
  transition(to: string, note?: string, assignee?: Assignee | null): Promise<boolean>;
  assign(assignee: Assignee | null, note?: string): Promise<boolean>;
  comment(body: string): Promise<boolean>;
  link(kind: LinkKind, number: string): Promise<boolean>;
  unlink(kind: LinkKind, targetId: string): Promise<boolean>;
  clearActionError(): void;

  startEditing(): void;
  /** Leaves the edit form (saved, or its own Cancel). */
  stopEditing(): void;
  /** The edit form reports whether its draft differs from what it loaded. */
  setDirty(dirty: boolean): void;
  /**
   * The one guard for everything that closes or replaces the drawer: runs `action` now (true), or —
   * while the edit form has unsaved changes — holds it for the confirm dialog (false), which then
   * calls `confirmLeave` (discard the draft, run it) or `cancelLeave` (keep editing, drop it).
   */
  requestLeave(action: () => void): boolean;
  /** Opens a ticket in the drawer through the guard (the ticket already open needs no guard). */
  requestOpen(id: string, alongWith?: () => void): boolean;
  /** Closes the drawer through the guard. */
  requestClose(): boolean;
  confirmLeave(): void;
  cancelLeave(): void;
  /** Live pushes: reload the open ticket when someone else changed it. */
  applyChanges(changes: readonly TicketChange[]): void;
}

export type DetailStore = StoreApi<DetailState>;

/** No edit form, no draft, nothing waiting: how a newly opened (or closed) drawer starts. */
const NOT_EDITING = { editing: false, dirty: false, pendingLeave: null } as const;

export function createDetailStore(client: RpcClient, options: { reloadDelayMs?: number } = {}): DetailStore {
  const reloadDelayMs = options.reloadDelayMs ?? 50;
  let loadSeq = 0;
  let reloadTimer: ReturnType<typeof setTimeout> | null = null;

  return createStore<DetailState>()((set, get) => {
    const load = async (id: string, quiet: boolean): Promise<void> => {
      const seq = ++loadSeq;
      set(quiet ? {} : { loading: true, error: null });
      try {
        const ticket = await client.call('tickets/get', { id });
        if (seq !== loadSeq || get().openId !== id) return;
        set({ ticket, loading: false, error: null, stale: false });
      } catch (err) {
        if (seq !== loadSeq || get().openId !== id) return;
        set({ loading: false, error: toAppError(err) });
      }
    };

    /** Runs one command on the open ticket; the returned ticket replaces the shown one. */
    const command = async (action: DetailAction, run: (t: Ticket) => Promise<Ticket>): Promise<boolean> => {
      const t = get().ticket;
      if (!t || get().busy) return false;
      set({ busy: action, actionError: null });
      try {
        const next = await run(t);
        if (get().openId === next.id && (!get().ticket || next.version >= get().ticket!.version)) {
          loadSeq++; // a reload started before this answer would be older
          set({ ticket: next, stale: false });
        }
        set({ busy: null });
        return true;
      } catch (err) {
        set({ busy: null, actionError: { action, error: toAppError(err) } });
        return false;
      }
    };

    return {
      openId: null,
      ticket: null,
      loading: false,
      error: null,
      busy: null,
      actionError: null,
      stale: false,
      ...NOT_EDITING,

      async open(id) {
        if (get().openId === id && get().ticket) return;
        // Another ticket: leave edit mode (callers that must not lose a draft go through requestOpen).
        const editing = get().openId === id ? {} : NOT_EDITING;
        set({ openId: id, ticket: null, actionError: null, stale: false, busy: null, ...editing });
        await load(id, false);
      },
      async openByNumber(number) {
        try {
          const ticket = await client.call('tickets/get', { number });
          loadSeq++;
          const editing = get().openId === ticket.id ? {} : NOT_EDITING;
          set({
            ...editing,
            openId: ticket.id,
            ticket,
            loading: false,
            error: null,
            actionError: null,
            stale: false,
            busy: null,
          });
          return true;
        } catch (err) {
          set({ actionError: { action: 'load', error: toAppError(err) } });
          return false;
        }
      },
      close() {
        loadSeq++;
        if (reloadTimer) clearTimeout(reloadTimer);
        reloadTimer = null;
        set({
          openId: null,
          ticket: null,
          loading: false,
          error: null,
          actionError: null,
          busy: null,
          stale: false,
          ...NOT_EDITING,
        });
      },
      async reload() {
        const id = get().openId;
        if (id) await load(id, get().ticket !== null);
      },
      update(patch, note, baseVersion) {
        return command('update', (t) =>
          client.call('tickets/update', {
            id: t.id,
            version: baseVersion ?? t.version,
            patch,
            ...(note ? { note } : {}),
          }),
        );
      },
      transition(to, note, assignee) {
        return command('transition', async (t) => {
          let version = t.version;
          if (assignee) {
            const assigned = await client.call('tickets/assign', { id: t.id, version, assignee });
            version = assigned.version;
            set({ ticket: assigned });
          }
          return client.call('tickets/transition', { id: t.id, version, to, ...(note ? { note } : {}) });
        });
      },
      assign(assignee, note) {
        return command('assign', (t) =>
          client.call('tickets/assign', {
            id: t.id,
            version: t.version,
            assignee,
            ...(note ? { note } : {}),
          }),
        );
      },
      comment(body) {
        // Comments are additive: no version, so a concurrent edit never blocks a comment.
        return command('comment', (t) => client.call('tickets/comment', { id: t.id, body }));
      },
      link(kind, number) {
        return command('link', async (t) => {
          const target = await client.call('tickets/get', { number: number.trim() });
          return client.call('tickets/link', {
            id: t.id,
            version: t.version,
            op: 'add',
            kind,
            targetId: target.id,
          });
        });
      },
      unlink(kind, targetId) {
        return command('link', (t) =>
          client.call('tickets/link', { id: t.id, version: t.version, op: 'remove', kind, targetId }),
        );
      },
      clearActionError() {
        set({ actionError: null });
      },
      startEditing() {
        if (get().ticket) set({ editing: true, dirty: false });
      },
      stopEditing() {
        set(NOT_EDITING);
      },
      setDirty(dirty) {
        if (get().dirty !== dirty) set({ dirty: dirty && get().editing });
      },
      requestLeave(action) {
        const { editing, dirty } = get();
        if (!(editing && dirty)) {
          action();
          return true;
        }
        set({ pendingLeave: action });
        return false;
      },
      requestOpen(id, alongWith) {
        if (get().openId === id) {
          alongWith?.();
          void get().open(id);
          return true;
        }
        return get().requestLeave(() => {
          alongWith?.();
          void get().open(id);
        });
      },
      requestClose() {
        return get().requestLeave(() => get().close());
      },
      confirmLeave() {
        const action = get().pendingLeave;
        // The draft goes first, so the action runs as it would have without one.
        set(NOT_EDITING);
        action?.();
      },
      cancelLeave() {
        set({ pendingLeave: null });
      },
      applyChanges(changes) {
        const { openId, ticket } = get();
        if (!openId) return;
        const mine = changes.filter((c) => c.ticket.id === openId);
        if (mine.length === 0) return;
        const newest = Math.max(...mine.map((c) => c.ticket.version));
        if (ticket && newest <= ticket.version) return;
        set({ stale: true });
        if (reloadTimer) return;
        reloadTimer = setTimeout(() => {
          reloadTimer = null;
          void get().reload();
        }, reloadDelayMs);
      },
    };
  });
}
