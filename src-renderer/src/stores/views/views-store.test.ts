import { describe, expect, it } from 'vitest';
import { ErrorCode, RpcError, type SavedView } from '@shared/contract';
import { fakeClient } from '../testing/fake-transport';
import { createViewsStore, viewsSelectors } from './views-store';

const me = { id: 'u-me', name: 'me' };
function view(id: string, name: string, owner = me, shared = false): SavedView {
  return {
    id,
    name,
    filter: {},
    sort: { field: 'updatedAt', dir: 'desc' },
    mode: 'list',
    shared,
    owner,
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('views store', () => {
  it('loads, saves (new and overwrite) and deletes views', async () => {
    const { transport, client } = fakeClient();
    transport.handle('views/list', () => [
      view('v1', 'B'),
      view('v2', 'A', { id: 'u-other', name: 'other' }, true),
    ]);
    transport.handle('views/save', (p) => ({
      ...view('v3', 'x'),
      ...(p as object),
      id: (p as { id?: string }).id ?? 'v3',
    }));
    transport.handle('views/delete', (p) => p);
    const store = createViewsStore(client);
    await store.getState().load();
    expect(store.getState().views.map((v) => v.id)).toEqual(['v1', 'v2']);
    const saved = await store
      .getState()
      .save({ name: 'new', filter: {}, sort: { field: 'number', dir: 'asc' }, mode: 'kanban', shared: true });
    expect(saved?.id).toBe('v3');
    await store
      .getState()
      .save({ id: 'v1', name: 'B2', filter: {}, sort: { field: 'number', dir: 'asc' }, mode: 'list' });
    expect(store.getState().views.find((v) => v.id === 'v1')?.name).toBe('B2');
    expect(await store.getState().remove('v3')).toBe(true);
    expect(
      store
        .getState()
        .views.map((v) => v.id)
        .sort(),
    ).toEqual(['v1', 'v2']);
  });

  it('keeps a refused save as an error (a view of someone else)', async () => {
    const { transport, client } = fakeClient();
    transport.handle('views/save', () => {
      throw new RpcError(ErrorCode.PermissionDenied, 'not yours');
    });
    const store = createViewsStore(client);
    expect(
      await store
        .getState()
        .save({ id: 'v2', name: 'x', filter: {}, sort: { field: 'number', dir: 'asc' }, mode: 'list' }),
    ).toBeNull();
    expect(store.getState().actionError?.code).toBe('PERMISSION_DENIED');
  });

  it('sorts own views first and knows which are mine', () => {
    const other = { id: 'u-other', name: 'other' };
    const sorted = viewsSelectors.sorted(
      [view('a', 'Z', other, true), view('b', 'Y'), view('c', 'A', other, true)],
      me,
    );
    expect(sorted.map((v) => v.id)).toEqual(['b', 'c', 'a']);
    expect(viewsSelectors.isOwn(sorted[0], me)).toBe(true);
    expect(viewsSelectors.isOwn(sorted[1], me)).toBe(false);
    expect(viewsSelectors.isOwn(undefined, me)).toBe(false);
  });
});
