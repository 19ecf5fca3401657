import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ActorRef, SavedView, ViewSaveParams } from '@shared/contract';
import type { RpcClient } from '../../rpc/client';
import { toAppError, type AppError } from '../errors';

export interface ViewsState {
  views: SavedView[];
  loading: boolean;
  loaded: boolean;
  error: AppError | null;
  /** The last save/delete failure, shown next to the view controls. */
  actionError: AppError | null;
  busy: boolean;
  load(): Promise<void>;
  save(params: ViewSaveParams): Promise<SavedView | null>;
  remove(id: string): Promise<boolean>;
  clearActionError(): void;
}

export type ViewsStore = StoreApi<ViewsState>;

export function createViewsStore(client: RpcClient): ViewsStore {
  let seq = 0;
  return createStore<ViewsState>()((set, get) => ({
    views: [],
    loading: false,
    loaded: false,
    error: null,
    actionError: null,
    busy: false,
    async load() {
      const mine = ++seq;
      set({ loading: true });
      try {
        const views = await client.call('views/list', {});
        if (mine === seq) set({ views, loading: false, loaded: true, error: null });
      } catch (err) {
        if (mine === seq) set({ loading: false, error: toAppError(err) });
      }
    },
    async save(params) {
      set({ busy: true, actionError: null });
      try {
        const view = await client.call('views/save', params);
        const others = get().views.filter((v) => v.id !== view.id);
        set({ views: [...others, view], busy: false });
        return view;
      } catch (err) {
        set({ busy: false, actionError: toAppError(err) });
        return null;
      }
    },
    async remove(id) {
      set({ busy: true, actionError: null });
      try {
        await client.call('views/delete', { id });
        set({ views: get().views.filter((v) => v.id !== id), busy: false });
        return true;
      } catch (err) {
        set({ busy: false, actionError: toAppError(err) });
        return false;
      }
    },
    clearActionError() {
      set({ actionError: null });
    },
  }));
}

export const viewsSelectors = {
  byId: (id: string | null) => (s: ViewsState) => (id ? s.views.find((v) => v.id === id) : undefined),
  /** Own views first, then shared ones, each by name. */
  sorted: (views: readonly SavedView[], me: ActorRef | null): SavedView[] =>
    [...views].sort((a, b) => {
      const ao = a.owner.id === me?.id ? 0 : 1;
      const bo = b.owner.id === me?.id ? 0 : 1;
      return ao - bo || a.name.localeCompare(b.name);
    }),
  isOwn: (view: SavedView | undefined, me: ActorRef | null): boolean =>
    !!view && !!me && view.owner.id === me.id,
};
