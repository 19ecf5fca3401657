// The preload layer may import only electron and shared; its tests also need the test runner.
import { describe, expect, it, vi } from 'vitest';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type BridgeReply } from '@shared/contract';
import {
  EVENT_CHANNEL,
  INVOKE_CHANNEL,
  createBridge,
  type IpcRendererLike,
  type IpcRendererListener,
} from './bridge';

function fakeIpcRenderer(
  invoke: (channel: string, ...args: unknown[]) => Promise<unknown> = async () => ({ result: null }),
) {
  const listeners = new Map<string, IpcRendererListener[]>();
  const ipc = {
    invoke: vi.fn(invoke),
    on: vi.fn((channel: string, l: IpcRendererListener) => {
      listeners.set(channel, [...(listeners.get(channel) ?? []), l]);
    }),
    removeListener: vi.fn((channel: string, l: IpcRendererListener) => {
      listeners.set(
        channel,
        (listeners.get(channel) ?? []).filter((x) => x !== l),
      );
    }),
    emit(channel: string, ...args: unknown[]) {
      for (const l of listeners.get(channel) ?? []) l({ sender: 'ipc-renderer-event' }, ...args);
    },
    count: (channel: string) => listeners.get(channel)?.length ?? 0,
  } satisfies IpcRendererLike & Record<string, unknown>;
  return ipc;
}

describe('preload bridge', () => {
  it('uses the contract channel names', () => {
    expect(INVOKE_CHANNEL).toBe(IPC_INVOKE_CHANNEL);
    expect(EVENT_CHANNEL).toBe(IPC_EVENT_CHANNEL);
  });

  it('exposes exactly invoke and subscribe', () => {
    const bridge = createBridge(fakeIpcRenderer());
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'subscribe']);
    expect(typeof bridge.invoke).toBe('function');
    expect(typeof bridge.subscribe).toBe('function');
  });

  it('invokes the fixed channel with (method, params) and returns the reply', async () => {
    const reply: BridgeReply = { result: { ok: 1 } };
    const ipc = fakeIpcRenderer(async () => reply);
    const bridge = createBridge(ipc);
    await expect(bridge.invoke('tickets/get', { id: 'x' })).resolves.toEqual(reply);
    expect(ipc.invoke).toHaveBeenCalledWith(IPC_INVOKE_CHANNEL, 'tickets/get', { id: 'x' });
    const error: BridgeReply = { error: { code: 'NOT_FOUND', message: 'no', details: { id: 'x' } } };
    ipc.invoke.mockImplementationOnce(async () => error);
    await expect(bridge.invoke('tickets/get', { id: 'x' })).resolves.toEqual(error);
  });

  it('never rejects: transport failures become error replies', async () => {
    const ipc = fakeIpcRenderer(async () => {
      throw new Error('An object could not be cloned.');
    });
    const bridge = createBridge(ipc);
    const notCloneable = await bridge.invoke('tickets/list', { f: () => 1 });
    expect('error' in notCloneable && notCloneable.error.code).toBe('INVALID_MESSAGE');

    ipc.invoke.mockImplementationOnce(async () => {
      throw new Error(
        "Error invoking remote method 'watchfloor:invoke': Error: No handler registered for 'watchfloor:invoke'",
      );
    });
    const noHandler = await bridge.invoke('tickets/list', {});
    expect('error' in noHandler && noHandler.error.code).toBe('UNAVAILABLE');

    ipc.invoke.mockImplementationOnce(async () => 'garbage');
    const malformed = await bridge.invoke('tickets/list', {});
    expect('error' in malformed && malformed.error.code).toBe('INTERNAL');
  });

  it('delivers (event, payload) without the Electron event, and unsubscribe removes exactly that listener', () => {
    const ipc = fakeIpcRenderer();
    const bridge = createBridge(ipc);
    const first = vi.fn();
    const second = vi.fn();
    const offFirst = bridge.subscribe(first);
    bridge.subscribe(second);
    expect(ipc.on).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, expect.any(Function));
    ipc.emit(IPC_EVENT_CHANNEL, 'tickets/changed', { changes: [] });
    expect(first).toHaveBeenCalledWith('tickets/changed', { changes: [] });
    expect(first.mock.calls[0]).toHaveLength(2);

    offFirst();
    offFirst();
    expect(ipc.removeListener).toHaveBeenCalledTimes(1);
    expect(ipc.count(IPC_EVENT_CHANNEL)).toBe(1);
    ipc.emit(IPC_EVENT_CHANNEL, 'views/changed', { op: 'saved', id: 'v1' });
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(2);
  });

  it('ignores messages whose event name is not a string', () => {
    const ipc = fakeIpcRenderer();
    const listener = vi.fn();
    createBridge(ipc).subscribe(listener);
    ipc.emit(IPC_EVENT_CHANNEL, 42, {});
    expect(listener).not.toHaveBeenCalled();
  });
});
