import {
  BrowserWindow,
  screen,
  type BrowserWindowConstructorOptions,
  type WebContents,
  type WebPreferences,
} from 'electron';
import type { Logger } from '../../core/ports';
import { rendererTarget, type AppPaths, type RendererTarget } from './app-paths';

/** Dark control-room background, painted before the renderer's first frame (no white flash). */
export const BACKGROUND = '#0b1016';
export const WALL_ROUTE = '/wall';

/** The one set of web preferences every Watchfloor window gets: isolated, sandboxed, no Node. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

export function consoleWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    title: 'Watchfloor 工单中枢',
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    backgroundColor: BACKGROUND,
    webPreferences: secureWebPreferences(preloadPath),
  };
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DisplayLike {
  id: number;
  bounds: Rect;
}

/**
 * The display for the wall: a secondary one (the largest, then the first listed) when there is one,
 * otherwise null (the wall opens as a normal window beside the console).
 */
export function pickWallDisplay<D extends DisplayLike>(displays: readonly D[], primaryId: number): D | null {
  let best: D | null = null;
  for (const d of displays) {
    if (d.id === primaryId) continue;
    if (!best || d.bounds.width * d.bounds.height > best.bounds.width * best.bounds.height) best = d;
  }
  return best;
}

export function wallWindowOptions(
  preloadPath: string,
  display: DisplayLike | null,
): BrowserWindowConstructorOptions {
  const common: BrowserWindowConstructorOptions = {
    title: '墙面显示 Wall — Watchfloor',
    show: false,
    backgroundColor: BACKGROUND,
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(preloadPath),
  };
  if (!display) return { ...common, width: 1600, height: 900 };
  const { x, y, width, height } = display.bounds;
  return { ...common, x, y, width, height, fullscreen: true, frame: false };
}

/** The parts of a WebContents that hardening touches (Electron's satisfies it; tests pass a fake). */
export interface HardenableWebContents {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(
    event: 'will-navigate' | 'will-redirect',
    listener: (event: { preventDefault(): void }, url: string) => void,
  ): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
}

/** No pop-ups, no webviews, and no navigation away from the app's own page. */
export function hardenWebContents(
  wc: HardenableWebContents,
  isAppUrl: (url: string) => boolean,
  logger: Logger,
): void {
  wc.setWindowOpenHandler(({ url }) => {
    logger.warn('window.open denied', { url });
    return { action: 'deny' };
  });
  const guard = (event: { preventDefault(): void }, url: string): void => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    logger.warn('navigation away from the app denied', { url });
  };
  wc.on('will-navigate', guard);
  wc.on('will-redirect', guard);
  wc.on('will-attach-webview', (event) => event.preventDefault());
}

function load(win: BrowserWindow, target: RendererTarget): Promise<void> {
  return 'url' in target
    ? win.loadURL(target.url)
    : win.loadFile(target.file, target.hash ? { hash: target.hash } : {});
}

/**
 * The app's windows: one console, at most one wall. Knows nothing about tickets; it only creates,
 * focuses and lists windows (the IPC host sends pushes to `targets()`).
 */
export class WindowManager {
  private console: BrowserWindow | null = null;
  private wall: BrowserWindow | null = null;

  constructor(
    private readonly paths: AppPaths,
    private readonly isAppUrl: (url: string) => boolean,
    private readonly logger: Logger,
  ) {}

  /** Live webContents of all app windows. */
  targets(): WebContents[] {
    return [this.console, this.wall]
      .filter((w): w is BrowserWindow => w !== null && !w.isDestroyed())
      .map((w) => w.webContents);
  }

  focusConsole(): BrowserWindow {
    if (!this.console || this.console.isDestroyed()) return this.openConsole();
    if (this.console.isMinimized()) this.console.restore();
    this.console.show();
    this.console.focus();
    return this.console;
  }

  openConsole(): BrowserWindow {
    const win = new BrowserWindow(consoleWindowOptions(this.paths.preload));
    this.console = win;
    this.prepare(win, rendererTarget(this.paths));
    win.on('closed', () => {
      if (this.console === win) this.console = null;
    });
    return win;
  }

  /** Opens (or focuses) the wall: fullscreen on a secondary display when there is one. */
  openWall(): BrowserWindow {
    if (this.wall && !this.wall.isDestroyed()) {
      this.wall.show();
      this.wall.focus();
      return this.wall;
    }
    const display = pickWallDisplay(screen.getAllDisplays(), screen.getPrimaryDisplay().id);
    const win = new BrowserWindow(wallWindowOptions(this.paths.preload, display));
    this.wall = win;
    this.prepare(win, rendererTarget(this.paths, WALL_ROUTE), () => {
      if (!display) return;
      win.setBounds(display.bounds);
      win.setFullScreen(true);
    });
    win.on('closed', () => {
      if (this.wall === win) this.wall = null;
    });
    return win;
  }

  private prepare(win: BrowserWindow, target: RendererTarget, beforeShow?: () => void): void {
    hardenWebContents(win.webContents, this.isAppUrl, this.logger);
    win.once('ready-to-show', () => {
      beforeShow?.();
      win.show();
    });
    load(win, target).catch((err: unknown) =>
      this.logger.error('window failed to load', { error: String(err) }),
    );
  }
}

/** A static page: no script, no preload, nothing to talk to. */
const SPLASH_HTML =
  '<!doctype html><meta charset="utf-8"><title>Watchfloor</title>' +
  `<body style="margin:0;height:100vh;display:flex;align-items:center;justify-content:center;background:${BACKGROUND};` +
  'color:#c9d4e0;font:16px system-ui,sans-serif;text-align:center">' +
  '<div>正在生成演示数据…<br><small style="opacity:.7">Preparing demo data…</small></div></body>';

export function splashWindowOptions(): BrowserWindowConstructorOptions {
  return {
    title: 'Watchfloor',
    width: 420,
    height: 160,
    frame: false,
    resizable: false,
    show: true,
    center: true,
    backgroundColor: BACKGROUND,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      javascript: false,
    },
  };
}

/** A small window shown while a new data folder is being seeded; progress goes to the taskbar. */
export function showSplash(): { progress(fraction: number): void; close(): void } {
  const win = new BrowserWindow(splashWindowOptions());
  win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(SPLASH_HTML)}`).catch(() => undefined);
  return {
    progress(fraction) {
      if (!win.isDestroyed()) win.setProgressBar(Math.min(1, Math.max(0, fraction)));
    },
    close() {
      if (!win.isDestroyed()) win.destroy();
    },
  };
}
