import { pathToFileURL } from 'node:url';
import type { RpcTransport } from '../../src-main/shared/contract';
import type { Core } from '../../src-main/core/create-core';
import { appUrlMatcher } from '../../src-main/hosts/electron/app-paths';
import {
  registerIpc,
  type IpcInvokeEventLike,
  type IpcMainLike,
  type WebContentsLike,
} from '../../src-main/hosts/electron/ipc-host';
import { createBridge, type IpcRendererLike, type IpcRendererListener } from '../../src-main/preload/bridge';
import { createIpcTransport } from '../../src-renderer/src/rpc/ipc-transport';

/**
 * Test doubles of Electron's ipcMain, ipcRenderer and webContents that behave like Electron where it
 * matters to a transport (checked against lib/browser/api/web-contents.ts and
 * lib/renderer/api/ipc-renderer.ts of Electron):
 *
 * - arguments and results cross by structured clone, asynchronously; what cannot be cloned fails with
 *   "An object could not be cloned." (class instances arrive as plain objects);
 * - a handler that throws reaches the invoker as a plain `Error` whose message is
 *   `Error invoking remote method '<channel>': <String(error)>` — e.g. "…: RpcError: boom" — with no
 *   `code`, `details` or other custom field;
 * - invoking a channel with no handler fails with "…: Error: No handler registered for '<channel>'";
 * - registering a second handler for a channel throws;
 * - webContents.send clones its arguments and delivers `(event, ...args)` to ipcRenderer listeners;
 *   a destroyed webContents reports isDestroyed() and throws "Object has been destroyed" on send.
 */

/** The app's renderer page as the Electron host sees it (a packaged app on Linux). */
export const APP_RENDERER_FILE = '/opt/Watchfloor/resources/app.asar/out/renderer/index.html';
export const APP_URL = pathToFileURL(APP_RENDERER_FILE).href;
export const isAppUrl = appUrlMatcher({ rendererFile: APP_RENDERER_FILE, devUrl: null });

const CLONE_FAILURE = 'An object could not be cloned.';

/** structuredClone with Electron's error text. */
function cloneLikeElectron<T>(value: T): T {
  try {
    return structuredClone(value);
  } catch {
    throw new Error(CLONE_FAILURE);
  }
}

/** IPC is asynchronous: nothing crosses within the caller's turn. */
const hop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Resolves after every message already in flight has been delivered. */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await hop();
}

/** Any handler Electron would accept: it may return anything, or a promise of anything. */
export type AnyInvokeHandler = (event: IpcInvokeEventLike, ...args: unknown[]) => unknown;

export class IpcMainDouble implements IpcMainLike {
  private readonly handlers = new Map<string, AnyInvokeHandler>();

  handle(channel: string, listener: AnyInvokeHandler): void {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    if (typeof listener !== 'function')
      throw new Error(`Expected handler to be a function, but found type '${typeof listener}'`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  hasHandler(channel: string): boolean {
    return this.handlers.has(channel);
  }

  /** What Electron's main process does with an incoming invoke; returns the reply message. */
  async dispatch(
    event: IpcInvokeEventLike,
    channel: string,
    args: unknown[],
  ): Promise<{ result: unknown } | { error: string }> {
    const handler = this.handlers.get(channel);
    if (!handler) return { error: String(new Error(`No handler registered for '${channel}'`)) };
    try {
      const result = await Promise.resolve(handler(event, ...args));
      return { result: cloneLikeElectron(result) };
    } catch (err) {
      // Electron: `event._replyChannel.sendReply({ error: error.toString() })` — only text survives.
      return { error: String(err) };
    }
  }
}

let nextWebContentsId = 1;

export class WebContentsDouble implements WebContentsLike {
  readonly id = nextWebContentsId++;
  private destroyed = false;
  /** URL of the sending frame; by default the page itself. Set it to simulate a foreign iframe. */
  frameUrl: string | null = null;

  constructor(
    private url: string,
    private readonly deliver: (channel: string, args: unknown[]) => void,
  ) {}

  isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    this.destroyed = true;
  }

  getURL(): string {
    this.assertAlive();
    return this.url;
  }

  /** The page navigated (within the same webContents, as a foreign page would). */
  navigate(url: string): void {
    this.assertAlive();
    this.url = url;
  }

  send(channel: string, ...args: unknown[]): void {
    this.assertAlive();
    const cloned = cloneLikeElectron(args);
    void hop().then(() => {
      if (!this.destroyed) this.deliver(channel, cloned);
    });
  }

  /** The event the main process sees for a message from this webContents. */
  invokeEvent(): IpcInvokeEventLike & { frameId: number; processId: number; type: 'frame' } {
    const url = this.frameUrl ?? this.url;
    return {
      sender: this,
      senderFrame: this.destroyed ? null : { url },
      frameId: 1,
      processId: this.id,
      type: 'frame',
    };
  }

  private assertAlive(): void {
    if (this.destroyed) throw new TypeError('Object has been destroyed');
  }
}

export class IpcRendererDouble implements IpcRendererLike {
  private readonly listeners = new Map<string, IpcRendererListener[]>();
  /** Set by createRenderer: the webContents this renderer lives in. */
  webContents!: WebContentsDouble;

  constructor(private readonly main: IpcMainDouble) {}

  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    const cloned = cloneLikeElectron(args);
    await hop();
    const reply = await this.main.dispatch(this.webContents.invokeEvent(), channel, cloned);
    await hop();
    if ('error' in reply) throw new Error(`Error invoking remote method '${channel}': ${reply.error}`);
    return reply.result;
  }

  on(channel: string, listener: IpcRendererListener): this {
    const list = this.listeners.get(channel) ?? [];
    list.push(listener);
    this.listeners.set(channel, list);
    return this;
  }

  removeListener(channel: string, listener: IpcRendererListener): this {
    const list = this.listeners.get(channel);
    if (!list) return this;
    const i = list.indexOf(listener);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.listeners.delete(channel);
    return this;
  }

  removeAllListeners(channel?: string): this {
    if (channel === undefined) this.listeners.clear();
    else this.listeners.delete(channel);
    return this;
  }

  listenerCount(channel: string): number {
    return this.listeners.get(channel)?.length ?? 0;
  }

  /** Called when a message from the main process arrives. */
  receive(channel: string, args: unknown[]): void {
    const event = { sender: this, ports: [] as unknown[] };
    for (const listener of [...(this.listeners.get(channel) ?? [])]) listener(event, ...args);
  }
}

/** One Electron "app": an ipcMain and any number of renderer windows. */
export class IpcWorld {
  readonly ipcMain = new IpcMainDouble();
  readonly windows: { webContents: WebContentsDouble; ipcRenderer: IpcRendererDouble }[] = [];

  createRenderer(url: string = APP_URL): { webContents: WebContentsDouble; ipcRenderer: IpcRendererDouble } {
    const ipcRenderer = new IpcRendererDouble(this.ipcMain);
    const webContents = new WebContentsDouble(url, (channel, args) => ipcRenderer.receive(channel, args));
    ipcRenderer.webContents = webContents;
    const win = { webContents, ipcRenderer };
    this.windows.push(win);
    return win;
  }

  /** Every webContents of the world, destroyed ones included (as a careless host might list them). */
  webContents(): WebContentsDouble[] {
    return this.windows.map((w) => w.webContents);
  }
}

/**
 * An Electron app in miniature over `core`: `n` windows on one ipcMain, each with the real preload
 * bridge and the real renderer IPC transport. `close` disposes the IPC host.
 */
export function createIpcWindows(
  core: Core,
  n: number,
): { transports: RpcTransport[]; world: IpcWorld; close: () => void } {
  const world = new IpcWorld();
  const windows = Array.from({ length: n }, () => world.createRenderer());
  const dispose = registerIpc(world.ipcMain, core, () => world.webContents(), { isAppUrl });
  const transports = windows.map((w) => createIpcTransport(createBridge(w.ipcRenderer)));
  return { transports, world, close: dispose };
}

/**
 * One renderer talking to `core` through registerIpc → ipcMain double → ipcRenderer double → preload
 * bridge → renderer IPC transport. `close()` removes the IPC handler and the core subscription.
 */
export function createIpcTransportPair(core: Core): RpcTransport {
  const { transports, close } = createIpcWindows(core, 1);
  const transport = transports[0]!;
  return { invoke: transport.invoke, subscribe: transport.subscribe, close };
}
