import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Ticket, TicketCreateParams } from '@shared/contract';
import type { RpcClient } from '../../rpc/client';
import { toAppError, type AppError } from '../errors';

export interface CreateState {
  open: boolean;
  submitting: boolean;
  error: AppError | null;
  /**
   * The idempotency key of this dialog session: made when the dialog opens and sent with every
   * submit until the dialog closes (created or cancelled). A retry after DISCONNECTED or TIMEOUT —
   * when the first call may have created the ticket after all — then gets that ticket back from the
   * core instead of a duplicate.
   */
  idempotencyKey: string | null;
  show(): void;
  hide(): void;
  /** `params.idempotencyKey` is ignored: the dialog session's key is always sent. */
  submit(params: TicketCreateParams): Promise<Ticket | null>;
  clearError(): void;
}

export type CreateStore = StoreApi<CreateState>;

export interface CreateStoreOptions {
  /** Makes a new idempotency key (tests). */
  newKey?: () => string;
}

const KEY_PREFIX = 'ui-create:';

/**
 * A new key for one create dialog session. `crypto.randomUUID` exists only in secure contexts; a
 * hub served on the network over plain http (`serve --host 0.0.0.0`) is not one, so the same
 * 122 random bits then come from `crypto.getRandomValues`, which every context has.
 */
export function newIdempotencyKey(
  source: Pick<Crypto, 'getRandomValues'> & { randomUUID?: () => string } = globalThis.crypto,
): string {
  if (typeof source.randomUUID === 'function') return `${KEY_PREFIX}${source.randomUUID()}`;
  const b = source.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40; // version 4
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${KEY_PREFIX}${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function createCreateStore(
  client: RpcClient,
  onCreated: (ticket: Ticket) => void,
  options: CreateStoreOptions = {},
): CreateStore {
  const newKey = options.newKey ?? (() => newIdempotencyKey());
  return createStore<CreateState>()((set, get) => ({
    open: false,
    submitting: false,
    error: null,
    idempotencyKey: null,
    show() {
      // Showing an open dialog again keeps its session (and its key).
      if (get().open) set({ error: null });
      else set({ open: true, error: null, idempotencyKey: newKey() });
    },
    hide() {
      if (!get().submitting) set({ open: false, error: null, idempotencyKey: null });
    },
    async submit(params) {
      if (get().submitting) return null;
      let key = get().idempotencyKey;
      if (!key) {
        key = newKey();
        set({ idempotencyKey: key });
      }
      set({ submitting: true, error: null });
      try {
        const ticket = await client.call('tickets/create', { ...params, idempotencyKey: key });
        // Done: the next dialog is a new session with a new key.
        set({ submitting: false, open: false, idempotencyKey: null });
        onCreated(ticket);
        return ticket;
      } catch (err) {
        // The key stays: whatever failed (an unknown outcome, a field to fix), the retry is the
        // same request as far as the core is concerned.
        set({ submitting: false, error: toAppError(err) });
        return null;
      }
    },
    clearError() {
      set({ error: null });
    },
  }));
}
