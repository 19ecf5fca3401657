// The preload layer may import only electron and shared; its tests also need the test runner.
import { describe, expect, it, vi } from 'vitest';

const exposed = vi.hoisted(() => ({ calls: [] as [string, unknown][] }));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.calls.push([key, api]) },
  ipcRenderer: {
    invoke: async () => ({ result: null }),
    on: () => undefined,
    removeListener: () => undefined,
  },
}));

describe('preload entry', () => {
  it('exposes window.watchfloor with exactly invoke and subscribe, and nothing else', async () => {
    await import('./index');
    expect(exposed.calls).toHaveLength(1);
    const [key, api] = exposed.calls[0]!;
    expect(key).toBe('watchfloor');
    expect(Object.keys(api as object).sort()).toEqual(['invoke', 'subscribe']);
  });
});
