import { describe, expect, it, vi, beforeEach } from 'vitest';
import { silentLogger } from '../../core/ports';
import { appUrlMatcher } from './app-paths';
import type { HardenableWebContents } from './windows';

type Listener = (...args: unknown[]) => void;

const electron = vi.hoisted(() => {
  class FakeEmitter {
    readonly listeners = new Map<string, Listener[]>();
    on(event: string, l: Listener) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), l]);
      return this;
    }
    once(event: string, l: Listener) {
      return this.on(event, l);
    }
    emit(event: string, ...args: unknown[]) {
      for (const l of this.listeners.get(event) ?? []) l(...args);
    }
  }
  class FakeWebContents extends FakeEmitter {
    openHandler: ((d: { url: string }) => unknown) | null = null;
    setWindowOpenHandler(h: (d: { url: string }) => unknown) {
      this.openHandler = h;
    }
  }
  class FakeBrowserWindow extends FakeEmitter {
    static created: FakeBrowserWindow[] = [];
    readonly webContents = new FakeWebContents();
    destroyed = false;
    loaded: unknown[] = [];
    calls: string[] = [];
    constructor(readonly options: Record<string, unknown>) {
      super();
      FakeBrowserWindow.created.push(this);
    }
    isDestroyed() {
      return this.destroyed;
    }
    isMinimized() {
      return false;
    }
    loadFile(file: string, opts: unknown) {
      this.loaded.push({ file, opts });
      return Promise.resolve();
    }
    loadURL(url: string) {
      this.loaded.push({ url });
      return Promise.resolve();
    }
    show() {
      this.calls.push('show');
    }
    focus() {
      this.calls.push('focus');
    }
    restore() {}
    setBounds(b: unknown) {
      this.calls.push(`setBounds ${JSON.stringify(b)}`);
    }
    setFullScreen(f: boolean) {
      this.calls.push(`setFullScreen ${f}`);
    }
    setProgressBar(p: number) {
      this.calls.push(`progress ${p}`);
    }
    destroy() {
      this.destroyed = true;
    }
  }
  const displays = [{ id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } }];
  return {
    FakeBrowserWindow,
    displays,
    screen: { getAllDisplays: () => displays, getPrimaryDisplay: () => displays[0] },
  };
});

vi.mock('electron', () => ({ BrowserWindow: electron.FakeBrowserWindow, screen: electron.screen }));

const {
  WindowManager,
  consoleWindowOptions,
  hardenWebContents,
  pickWallDisplay,
  showSplash,
  splashWindowOptions,
  wallWindowOptions,
} = await import('./windows');

const secure = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  webSecurity: true,
  nodeIntegrationInSubFrames: false,
  webviewTag: false,
  allowRunningInsecureContent: false,
};

describe('window options', () => {
  it('the console window is isolated, sandboxed, without Node, with the preload', () => {
    const o = consoleWindowOptions('/app/out/preload/index.cjs');
    expect(o.webPreferences).toMatchObject({ ...secure, preload: '/app/out/preload/index.cjs' });
    expect(o.show).toBe(false);
  });

  it('the wall is fullscreen on a given display, a normal secure window otherwise', () => {
    const on = wallWindowOptions('/p.cjs', { id: 2, bounds: { x: 1920, y: 0, width: 3840, height: 2160 } });
    expect(on).toMatchObject({ x: 1920, y: 0, width: 3840, height: 2160, fullscreen: true });
    expect(on.webPreferences).toMatchObject({ ...secure, preload: '/p.cjs' });
    const off = wallWindowOptions('/p.cjs', null);
    expect(off.fullscreen).toBeUndefined();
    expect(off.webPreferences).toMatchObject(secure);
  });
});

describe('pickWallDisplay', () => {
  const d = (id: number, width: number, height: number) => ({
    id,
    bounds: { x: id * 10_000, y: 0, width, height },
  });
  it('prefers the largest secondary display and never the primary', () => {
    expect(pickWallDisplay([d(1, 1920, 1080)], 1)).toBeNull();
    expect(pickWallDisplay([], 1)).toBeNull();
    expect(pickWallDisplay([d(1, 5120, 2880), d(2, 1920, 1080)], 1)?.id).toBe(2);
    expect(pickWallDisplay([d(1, 1920, 1080), d(2, 1920, 1080), d(3, 3840, 2160)], 1)?.id).toBe(3);
    expect(pickWallDisplay([d(7, 1920, 1080), d(1, 1920, 1080), d(8, 1920, 1080)], 1)?.id).toBe(7);
  });
});

describe('hardenWebContents', () => {
  it('denies window.open, foreign navigation and webviews, and allows the app page', () => {
    const isApp = (url: string) => url.startsWith('file:///app/');
    const handlers = new Map<string, Listener>();
    let openHandler: ((d: { url: string }) => unknown) | undefined;
    hardenWebContents(
      {
        setWindowOpenHandler: (h) => {
          openHandler = h;
        },
        on: ((event: string, l: Listener) => handlers.set(event, l)) as HardenableWebContents['on'],
      },
      isApp,
      silentLogger,
    );
    expect(openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    for (const event of ['will-navigate', 'will-redirect']) {
      const foreign = { preventDefault: vi.fn() };
      handlers.get(event)!(foreign, 'https://example.com/');
      expect(foreign.preventDefault).toHaveBeenCalled();
      const own = { preventDefault: vi.fn() };
      handlers.get(event)!(own, 'file:///app/index.html#/wall');
      expect(own.preventDefault).not.toHaveBeenCalled();
    }
    const webview = { preventDefault: vi.fn() };
    handlers.get('will-attach-webview')!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });
});

describe('WindowManager', () => {
  const paths = {
    preload: '/app/out/preload/index.cjs',
    rendererFile: '/app/out/renderer/index.html',
    devUrl: null,
  };
  const isApp = appUrlMatcher(paths);

  beforeEach(() => {
    electron.FakeBrowserWindow.created.length = 0;
    electron.displays.length = 1;
  });

  it('opens the console on index.html and lists live windows as targets', () => {
    const wm = new WindowManager(paths, isApp, silentLogger);
    const win = wm.openConsole() as unknown as InstanceType<typeof electron.FakeBrowserWindow>;
    expect(win.loaded).toEqual([{ file: paths.rendererFile, opts: {} }]);
    expect(win.webContents.openHandler?.({ url: 'x' })).toEqual({ action: 'deny' });
    win.emit('ready-to-show');
    expect(win.calls).toContain('show');
    expect(wm.targets()).toEqual([win.webContents]);
    win.destroyed = true;
    win.emit('closed');
    expect(wm.targets()).toEqual([]);
    // focusing a closed console opens a new one
    wm.focusConsole();
    expect(electron.FakeBrowserWindow.created).toHaveLength(2);
  });

  it('opens one wall on #/wall: a normal window with one display, fullscreen on the secondary with two', () => {
    const wm = new WindowManager(paths, isApp, silentLogger);
    const single = wm.openWall() as unknown as InstanceType<typeof electron.FakeBrowserWindow>;
    expect(single.loaded).toEqual([{ file: paths.rendererFile, opts: { hash: '/wall' } }]);
    expect(single.options.fullscreen).toBeUndefined();
    expect(wm.openWall()).toBe(single);
    single.destroyed = true;
    single.emit('closed');

    electron.displays.push({ id: 2, bounds: { x: 1920, y: 0, width: 2560, height: 1440 } });
    const wall = wm.openWall() as unknown as InstanceType<typeof electron.FakeBrowserWindow>;
    expect(wall.options).toMatchObject({ x: 1920, width: 2560, fullscreen: true });
    wall.emit('ready-to-show');
    expect(wall.calls).toEqual([
      `setBounds ${JSON.stringify({ x: 1920, y: 0, width: 2560, height: 1440 })}`,
      'setFullScreen true',
      'show',
    ]);
  });
});

describe('splash', () => {
  it('is a static page without preload or script, with progress on the taskbar', () => {
    const o = splashWindowOptions();
    expect(o.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      javascript: false,
    });
    expect(o.webPreferences?.preload).toBeUndefined();
    electron.FakeBrowserWindow.created.length = 0;
    const splash = showSplash();
    const win = electron.FakeBrowserWindow.created[0]!;
    expect(String((win.loaded[0] as { url: string }).url)).toMatch(/^data:text\/html/);
    splash.progress(0.5);
    splash.progress(7);
    expect(win.calls).toEqual(['progress 0.5', 'progress 1']);
    splash.close();
    expect(win.isDestroyed()).toBe(true);
    splash.progress(0.9);
    splash.close();
    expect(win.calls).toHaveLength(2);
  });
});
