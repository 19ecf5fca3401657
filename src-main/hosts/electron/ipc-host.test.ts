import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ErrorCode,
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  MAX_MESSAGE_BYTES,
  type BridgeReply,
} from '@shared/contract';
import { createCore, type Core } from '../../core/create-core';
import { silentLogger } from '../../core/ports';
import { FileStore } from '../../core/store/file-store';
import { appUrlMatcher } from './app-paths';
import {
  findNonJson,
  registerIpc,
  type IpcInvokeEventLike,
  type IpcInvokeHandler,
  type IpcMainLike,
} from './ipc-host';

const RENDERER = '/opt/watchfloor/out/renderer/index.html';
const APP_URL = pathToFileURL(RENDERER).href;
const isAppUrl = appUrlMatcher({ rendererFile: RENDERER, devUrl: null });

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, IpcInvokeHandler>();
  handle(channel: string, listener: IpcInvokeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}

let nextId = 1;
function fakeWebContents(url = APP_URL) {
  const wc = {
    id: nextId++,
    url,
    destroyed: false,
    sent: [] as unknown[][],
    failSend: false,
    isDestroyed: () => wc.destroyed,
    getURL: () => wc.url,
    send(channel: string, ...args: unknown[]) {
      if (wc.failSend) throw new Error('Failed to serialize arguments');
      wc.sent.push([channel, ...structuredClone(args)]);
    },
  };
  return wc;
}
type FakeWebContents = ReturnType<typeof fakeWebContents>;

const fault = {
  typeId: 'device-fault',
  title: '配电柜 PD-0042 温度过高',
  businessKeys: { deviceSn: 'PD-0042' },
};

describe('registerIpc', () => {
  let dir: string;
  let core: Core;
  let ipc: FakeIpcMain;
  let windows: FakeWebContents[];
  let dispose: () => void;

  const invoke = async (
    sender: FakeWebContents,
    args: unknown[],
    frameUrl: string | null = sender.url,
  ): Promise<BridgeReply> => {
    const handler = ipc.handlers.get(IPC_INVOKE_CHANNEL);
    if (!handler) throw new Error('no handler');
    const event: IpcInvokeEventLike = { sender, senderFrame: frameUrl === null ? null : { url: frameUrl } };
    const reply = await handler(event, ...args);
    // Whatever the host answers must survive Electron's structured clone unchanged.
    expect(structuredClone(reply)).toEqual(reply);
    return reply;
  };
  const errorOf = (reply: BridgeReply) => {
    if (!('error' in reply)) throw new Error(`expected an error reply, got ${JSON.stringify(reply)}`);
    return reply.error;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wf-ipc-'));
    const storage = await FileStore.open({ dir: join(dir, 'data'), logger: silentLogger });
    core = await createCore({ storage, host: 'electron', version: 'test' });
    ipc = new FakeIpcMain();
    windows = [fakeWebContents(), fakeWebContents()];
    dispose = registerIpc(ipc, core, () => windows, { isAppUrl });
  });

  afterEach(async () => {
    dispose();
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a call with {result}', async () => {
    const info = await invoke(windows[0]!, ['system/info', {}]);
    expect(info).toMatchObject({ result: { product: 'watchfloor', host: 'electron', version: 'test' } });
    const created = await invoke(windows[1]!, ['tickets/create', fault]);
    expect(created).toMatchObject({ result: { title: fault.title, version: 1 } });
    // params may be omitted for methods without any
    expect(await invoke(windows[0]!, ['tickets/stats'])).toHaveProperty('result');
  });

  it('carries INVALID_ARGUMENT with its field paths as data', async () => {
    const err = errorOf(
      await invoke(windows[0]!, ['tickets/create', { typeId: 'device-fault', title: '', priority: 'P9' }]),
    );
    expect(err.code).toBe(ErrorCode.InvalidArgument);
    const paths = (err.details as { issues: { path: string }[] }).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['title', 'priority']));
  });

  it('carries METHOD_NOT_FOUND with details', async () => {
    const err = errorOf(await invoke(windows[0]!, ['tickets/explode', {}]));
    expect(err).toEqual({
      code: ErrorCode.MethodNotFound,
      message: expect.any(String),
      details: { method: 'tickets/explode' },
    });
  });

  it('carries domain errors (NOT_FOUND) unchanged', async () => {
    const err = errorOf(await invoke(windows[0]!, ['tickets/get', { number: 'WF-2020-999999' }]));
    expect(err.code).toBe(ErrorCode.NotFound);
  });

  it('refuses malformed envelopes with INVALID_MESSAGE', async () => {
    const w = windows[0]!;
    for (const args of [
      [42, {}],
      ['', {}],
      ['x'.repeat(65), {}],
      [undefined],
      ['system/info', {}, 'extra'],
    ]) {
      expect(errorOf(await invoke(w, args)).code).toBe(ErrorCode.InvalidMessage);
    }
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    class Filter {
      status = 'new';
    }
    for (const params of [
      { at: new Date() },
      { m: new Map() },
      { n: Number.NaN },
      { n: Infinity },
      { b: 10n },
      { list: [1, undefined] },
      new Filter(),
      cyclic,
      new Uint8Array(4),
    ]) {
      const err = errorOf(await invoke(w, ['tickets/list', params]));
      expect(err.code).toBe(ErrorCode.InvalidMessage);
      expect(err.details).toHaveProperty('path');
    }
  });

  it('refuses params over MAX_MESSAGE_BYTES with PAYLOAD_TOO_LARGE, and lets params under it through', async () => {
    const big = { ...fault, description: '工'.repeat(Math.ceil(MAX_MESSAGE_BYTES / 3) + 10) };
    const err = errorOf(await invoke(windows[0]!, ['tickets/create', big]));
    expect(err.code).toBe(ErrorCode.PayloadTooLarge);
    expect(err.details).toMatchObject({ limit: MAX_MESSAGE_BYTES });
    expect((err.details as { bytes: number }).bytes).toBeGreaterThan(MAX_MESSAGE_BYTES);
    // Just under the limit: the core sees it (and its own schema says the description is too long).
    const under = { ...fault, description: 'x'.repeat(MAX_MESSAGE_BYTES - 200) };
    expect(errorOf(await invoke(windows[0]!, ['tickets/create', under])).code).toBe(
      ErrorCode.InvalidArgument,
    );
  });

  it('refuses calls from unknown senders and foreign frames with PERMISSION_DENIED', async () => {
    const stranger = fakeWebContents();
    expect(errorOf(await invoke(stranger, ['system/info', {}])).code).toBe(ErrorCode.PermissionDenied);
    const w = windows[0]!;
    for (const frame of [
      'https://evil.example/',
      'file:///tmp/other.html',
      'data:text/html,hi',
      'not a url',
      null,
    ]) {
      expect(errorOf(await invoke(w, ['system/info', {}], frame)).code).toBe(ErrorCode.PermissionDenied);
    }
    // the app's own page with a hash route is the app
    expect(await invoke(w, ['system/info', {}], `${APP_URL}#/wall`)).toHaveProperty('result');
    w.destroyed = true;
    expect(errorOf(await invoke(w, ['system/info', {}])).code).toBe(ErrorCode.PermissionDenied);
    // nothing reached the core: no ticket was created by any refused call
    expect(errorOf(await invoke(stranger, ['tickets/create', fault])).code).toBe(ErrorCode.PermissionDenied);
    expect(await core.call('tickets/stats', {})).toMatchObject({ open: 0 });
  });

  it('matches senders by webContents id as well as identity', async () => {
    const twin = { ...fakeWebContents(), id: windows[1]!.id };
    expect(await invoke(twin, ['system/info', {}])).toHaveProperty('result');
  });

  it('fans every push out to every live app window and skips destroyed, navigated and failing ones', async () => {
    const dead = fakeWebContents();
    dead.destroyed = true;
    const wandered = fakeWebContents('https://elsewhere.example/');
    const broken = fakeWebContents();
    broken.failSend = true;
    windows.push(dead, wandered, broken);
    await invoke(windows[0]!, ['tickets/create', fault]);
    for (const w of [windows[0]!, windows[1]!]) {
      expect(w.sent).toHaveLength(1);
      const [channel, event, payload] = w.sent[0]!;
      expect(channel).toBe(IPC_EVENT_CHANNEL);
      expect(event).toBe('tickets/changed');
      expect(payload).toMatchObject({ changes: [{ op: 'created' }] });
    }
    expect(dead.sent).toHaveLength(0);
    expect(wandered.sent).toHaveLength(0);
    expect(broken.sent).toHaveLength(0);
  });

  it('maps unexpected failures to INTERNAL without leaking them', async () => {
    await core.close();
    const err = errorOf(await invoke(windows[0]!, ['system/info', {}]));
    expect(err.code).toBe(ErrorCode.Internal);
    expect(err.message).not.toContain('closed');
  });

  it('returns a disposer that removes the handler and the subscription', async () => {
    dispose();
    dispose();
    expect(ipc.handlers.size).toBe(0);
    await core.call('tickets/create', fault);
    expect(windows[0]!.sent).toHaveLength(0);
    // registering again works (nothing left behind)
    dispose = registerIpc(ipc, core, () => windows, { isAppUrl });
    expect(ipc.handlers.has(IPC_INVOKE_CHANNEL)).toBe(true);
  });

  it('accepts only file: pages by default', async () => {
    dispose();
    dispose = registerIpc(ipc, core, () => windows);
    expect(await invoke(windows[0]!, ['system/info', {}])).toHaveProperty('result');
    expect(errorOf(await invoke(windows[0]!, ['system/info', {}], 'http://127.0.0.1:5173/')).code).toBe(
      ErrorCode.PermissionDenied,
    );
  });
});

describe('findNonJson', () => {
  it('accepts plain JSON data and names the first offending path', () => {
    expect(findNonJson({ a: [1, 'x', true, null, { b: -0.5 }], c: undefined })).toBeNull();
    expect(findNonJson({ a: [1, { b: new Date(0) }] })).toBe('(params).a.1.b');
    expect(findNonJson(Object.create(null) as object)).toBeNull();
    expect(findNonJson(() => 1)).toBe('(params)');
  });
});
