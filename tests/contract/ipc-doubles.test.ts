import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ErrorCode,
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  RpcError,
  type RpcTransport,
} from '../../src-main/shared/contract';
import { registerIpc } from '../../src-main/hosts/electron/ipc-host';
import { startCore } from '../helpers/core-fixture';
import { IpcWorld, createIpcTransportPair, createIpcWindows, isAppUrl, settle } from './ipc-doubles';

/** The rejection of a promise that must fail. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(outcome instanceof Error))
    throw new Error(`expected a rejection with an Error, got ${String(outcome)}`);
  return outcome;
}

describe('Electron IPC doubles behave like Electron', () => {
  it('clones arguments and results in both directions, asynchronously', async () => {
    const world = new IpcWorld();
    const { ipcRenderer } = world.createRenderer();
    const sent = { list: [1, 2], nested: { at: new Date(0) } };
    let received: unknown;
    let handlerRan = false;
    const result = { shared: { n: 1 } };
    world.ipcMain.handle('ch', (_event, arg) => {
      handlerRan = true;
      received = arg;
      (arg as { list: number[] }).list.push(3);
      return Promise.resolve(result);
    });
    const pending = ipcRenderer.invoke('ch', sent);
    expect(handlerRan).toBe(false);
    const reply = (await pending) as typeof result;
    expect(received).toEqual({ list: [1, 2, 3], nested: { at: new Date(0) } });
    expect(received).not.toBe(sent);
    expect(sent.list).toEqual([1, 2]);
    expect(reply).toEqual(result);
    expect(reply).not.toBe(result);
    expect(reply.shared).not.toBe(result.shared);
  });

  it('fails on values structured clone refuses, in either direction', async () => {
    const world = new IpcWorld();
    const { ipcRenderer } = world.createRenderer();
    world.ipcMain.handle('echo', () => ({ fn: () => 1 }));
    expect((await rejection(ipcRenderer.invoke('echo', { fn: () => 1 }))).message).toBe(
      'An object could not be cloned.',
    );
    expect((await rejection(ipcRenderer.invoke('echo', {}))).message).toBe(
      "Error invoking remote method 'echo': Error: An object could not be cloned.",
    );
  });

  it('turns a thrown error into a plain Error carrying only text', async () => {
    const world = new IpcWorld();
    const { ipcRenderer } = world.createRenderer();
    world.ipcMain.handle('boom', () => {
      throw new RpcError(ErrorCode.NotFound, 'ticket not found', { id: 'x' });
    });
    const err = await rejection(ipcRenderer.invoke('boom'));
    expect(err.message).toBe("Error invoking remote method 'boom': RpcError: ticket not found");
    expect(err).not.toBeInstanceOf(RpcError);
    expect(err.constructor).toBe(Error);
    expect(err).not.toHaveProperty('code');
    expect(err).not.toHaveProperty('details');

    world.ipcMain.handle('plain', async () => {
      throw new Error('disk full');
    });
    expect((await rejection(ipcRenderer.invoke('plain'))).message).toBe(
      "Error invoking remote method 'plain': Error: disk full",
    );
  });

  it('rejects a call with no handler, and a second handler for one channel', async () => {
    const world = new IpcWorld();
    const { ipcRenderer } = world.createRenderer();
    expect((await rejection(ipcRenderer.invoke('nobody'))).message).toBe(
      "Error invoking remote method 'nobody': Error: No handler registered for 'nobody'",
    );
    world.ipcMain.handle('once', () => 1);
    expect(() => world.ipcMain.handle('once', () => 2)).toThrow(
      "Attempted to register a second handler for 'once'",
    );
    world.ipcMain.removeHandler('once');
    world.ipcMain.handle('once', () => 2);
    await expect(ipcRenderer.invoke('once')).resolves.toBe(2);
  });

  it('gives the handler the sender webContents and the sender frame URL', async () => {
    const world = new IpcWorld();
    const { ipcRenderer, webContents } = world.createRenderer('file:///app/index.html');
    const seen = vi.fn();
    world.ipcMain.handle('who', (event) => {
      seen(event.sender, event.senderFrame?.url);
      return null;
    });
    await ipcRenderer.invoke('who');
    webContents.frameUrl = 'https://ads.example/frame';
    await ipcRenderer.invoke('who');
    expect(seen.mock.calls).toEqual([
      [webContents, 'file:///app/index.html'],
      [webContents, 'https://ads.example/frame'],
    ]);
  });

  it('delivers webContents.send as (event, ...args) clones; removeListener and destroy behave', async () => {
    const world = new IpcWorld();
    const { ipcRenderer, webContents } = world.createRenderer();
    class Payload {
      n = 1;
      get double() {
        return this.n * 2;
      }
    }
    const a = vi.fn();
    const b = vi.fn();
    ipcRenderer.on('evt', a).on('evt', b);
    const payload = new Payload();
    webContents.send('evt', 'name', payload);
    expect(a).not.toHaveBeenCalled();
    await settle();
    expect(a).toHaveBeenCalledTimes(1);
    const [event, name, got] = a.mock.calls[0]!;
    expect(event).toMatchObject({ sender: ipcRenderer });
    expect(name).toBe('name');
    expect(got).toEqual({ n: 1 });
    expect(got).not.toBeInstanceOf(Payload);

    ipcRenderer.removeListener('evt', a);
    expect(ipcRenderer.listenerCount('evt')).toBe(1);
    webContents.send('evt', 'again');
    await settle();
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(2);

    expect(() => webContents.send('evt', () => 1)).toThrow('An object could not be cloned.');
    expect(webContents.isDestroyed()).toBe(false);
    webContents.destroy();
    expect(webContents.isDestroyed()).toBe(true);
    expect(() => webContents.send('evt', 'late')).toThrow('Object has been destroyed');
  });
});

describe('IPC transport over the doubles, with a real core', () => {
  let stop: () => Promise<void>;
  let core: Awaited<ReturnType<typeof startCore>>['core'];

  beforeEach(async () => {
    ({ core, stop } = await startCore());
  });
  afterEach(() => stop());

  const fault = { typeId: 'device-fault', title: '水泵 WP-07 振动异常', businessKeys: { deviceSn: 'WP-07' } };

  it('createIpcTransportPair round-trips results and RpcErrors with code and details', async () => {
    const t: RpcTransport = createIpcTransportPair(core);
    await expect(t.invoke('system/info', {})).resolves.toMatchObject({ product: 'watchfloor' });
    const err = await rejection(t.invoke('tickets/create', { typeId: 'device-fault' }));
    expect(err).toBeInstanceOf(RpcError);
    expect((err as RpcError).code).toBe(ErrorCode.InvalidArgument);
    expect((err as RpcError).details).toMatchObject({ issues: [{ path: 'title' }] });
    const missing = await rejection(t.invoke('no/such', {}));
    expect(missing).toMatchObject({ code: ErrorCode.MethodNotFound, details: { method: 'no/such' } });
    const bad = await rejection(t.invoke('tickets/list', { filter: () => 1 }));
    expect(bad).toMatchObject({ code: ErrorCode.InvalidMessage });
    t.close?.();
  });

  it('pushes reach every window, and close() stops them', async () => {
    const { transports, world, close } = createIpcWindows(core, 2);
    const heard = transports.map(() => vi.fn());
    const offs = transports.map((t, i) => t.subscribe(heard[i]!));
    await transports[0]!.invoke('tickets/create', fault);
    await settle();
    for (const h of heard)
      expect(h).toHaveBeenCalledWith(
        'tickets/changed',
        expect.objectContaining({ changes: expect.any(Array) }),
      );

    world.windows[1]!.webContents.destroy();
    offs[0]!();
    await transports[0]!.invoke('tickets/create', { ...fault, title: '水泵 WP-08 振动异常' });
    await settle();
    expect(heard[0]).toHaveBeenCalledTimes(1);
    expect(heard[1]).toHaveBeenCalledTimes(1);

    close();
    expect(world.ipcMain.hasHandler(IPC_INVOKE_CHANNEL)).toBe(false);
    const after = await rejection(transports[0]!.invoke('system/info', {}));
    expect(after).toMatchObject({ code: ErrorCode.Unavailable });
  });

  it('a page that navigated away can neither call nor listen', async () => {
    const world = new IpcWorld();
    const good = world.createRenderer();
    const bad = world.createRenderer();
    const dispose = registerIpc(world.ipcMain, core, () => world.webContents(), { isAppUrl });
    bad.webContents.navigate('https://evil.example/');
    const heard = vi.fn();
    bad.ipcRenderer.on(IPC_EVENT_CHANNEL, heard);
    const reply = await bad.ipcRenderer.invoke(IPC_INVOKE_CHANNEL, 'system/info', {});
    expect(reply).toMatchObject({ error: { code: ErrorCode.PermissionDenied } });
    await good.ipcRenderer.invoke(IPC_INVOKE_CHANNEL, 'tickets/create', fault);
    await settle();
    expect(heard).not.toHaveBeenCalled();
    dispose();
  });
});
