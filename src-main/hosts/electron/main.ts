import { app, dialog, ipcMain, Menu, safeStorage, session } from 'electron';
import type { Core } from '../../core/create-core';
import { stderrLogger } from '../../core/ports';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { appPaths, appUrlMatcher } from './app-paths';
import { dataDirFor, demoEnabled, parseArgs } from './args';
import { registerIpc } from './ipc-host';
import { menuTemplate } from './menu';
import { DEMO_SEED, DEMO_TICKETS, openFolderCore } from '../../core/open-folder-core';
import { describeStartupError } from './startup-error';
import { safeStorageSecrets } from './safe-storage-secrets';
import { brokerFromEnv, DEMO_SIM_SPEED } from '../../core/telemetry-ports';
import { WindowManager, showSplash } from './windows';
import type { Open311Server } from '../../core/open311/server';
import { startDesktopOpen311 } from './open311-launch';

/**
 * The Electron entry: a thin shell around the same core the Node hub runs. It owns the process
 * (single instance, quit), the windows, the menu and the IPC transport; no business logic lives here.
 */
const logger = stderrLogger;
const args = parseArgs(process.argv);
/** The launch as it was: the Open311 settings are read once the core is up. */
const launchArgv = [...process.argv];
const launchEnv = { ...process.env };

let windows: WindowManager | null = null;
let core: Core | null = null;
let disposeIpc: (() => void) | null = null;
/** The Open311 API's own HTTP server, when `--open311-port` / WATCHFLOOR_OPEN311_PORT turned it on. */
let open311: Open311Server | null = null;
/** A second launch asked for the wall before the windows existed. */
let wallRequested = args.wall;
let shutdown: 'running' | 'closing' | 'closed' = 'running';

function onSecondInstance(argv: readonly string[], additionalData: unknown): void {
  const wall = parseArgs(argv).wall || (additionalData as { wall?: unknown } | null)?.wall === true;
  if (!windows) {
    wallRequested ||= wall;
    return;
  }
  windows.focusConsole();
  if (wall) windows.openWall();
}

function lockDownSessions(): void {
  // No camera, microphone, geolocation, notifications-by-prompt…: the app asks for nothing.
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => {
    logger.warn('permission request denied', { permission });
    callback(false);
  });
  session.defaultSession.setPermissionCheckHandler(() => false);
  // Belt and braces for any webContents, including ones not created by WindowManager.
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

async function start(): Promise<void> {
  await app.whenReady();
  lockDownSessions();

  const dataDir = dataDirFor(app.getPath('userData'), process.env);
  // Shown only while a new folder is seeded; closed once the console exists (closing it earlier
  // would leave no window, and Electron would quit).
  const seeding: { splash: ReturnType<typeof showSplash> | null } = { splash: null };
  try {
    ({ core } = await openFolderCore({
      dataDir,
      host: 'electron',
      demo: demoEnabled(args, process.env) ? { count: DEMO_TICKETS, seed: DEMO_SEED } : null,
      demoTelemetry: demoEnabled(args, process.env),
      modelsDir: app.isPackaged ? join(process.resourcesPath, 'models') : join(app.getAppPath(), 'models'),
      hotline: { mapDir: hotlineMapDir(app.getAppPath()) },
      version: app.getVersion(),
      logger,
      telemetry: {
        secrets: safeStorageSecrets(safeStorage),
        ...brokerFromEnv(process.env),
        simulator: { speed: DEMO_SIM_SPEED },
      },
      onSeedProgress: (done, total) => {
        seeding.splash ??= showSplash();
        seeding.splash.progress(total > 0 ? done / total : 1);
      },
    }));
  } catch (err) {
    const report = describeStartupError(err, dataDir);
    logger.error('start-up failed', { dataDir, error: err instanceof Error ? err.message : String(err) });
    dialog.showErrorBox(report.title, report.content);
    app.exit(1);
    return;
  }

  const paths = appPaths(app.getAppPath(), {
    devUrl: process.env.ELECTRON_RENDERER_URL,
    isPackaged: app.isPackaged,
  });
  const isAppUrl = appUrlMatcher(paths);
  const wm = new WindowManager(paths, isAppUrl, logger);
  windows = wm;
  disposeIpc = registerIpc(ipcMain, core, () => wm.targets(), { isAppUrl, logger });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate(
        { openWall: () => wm.openWall() },
        { isPackaged: app.isPackaged, platform: process.platform },
      ),
    ),
  );
  wm.openConsole();
  seeding.splash?.close();
  if (wallRequested) wm.openWall();
  app.on('activate', () => wm.focusConsole());
  const started = await startDesktopOpen311(core, launchArgv, launchEnv, logger);
  // A quit that came while it was starting has already closed everything else.
  if (started && shutdown !== 'running') void started.close();
  else open311 = started;
}

/** Stops the Open311 server first, so no request reaches a core that is closing. */
function closeOpen311(): Promise<void> {
  const server = open311;
  open311 = null;
  return server ? server.close() : Promise.resolve();
}

if (!app.requestSingleInstanceLock({ wall: args.wall })) {
  // Another Watchfloor owns the data folder: it focuses its console (and opens the wall if asked).
  app.quit();
} else {
  app.setAppUserModelId('com.watchfloor.app');
  app.on('second-instance', (_event, argv, _cwd, additionalData) => onSecondInstance(argv, additionalData));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Graceful quit: stop taking calls, close the core (it writes a snapshot), then let Electron exit.
  app.on('before-quit', (event) => {
    if (shutdown === 'closed' || !core) return;
    event.preventDefault();
    if (shutdown === 'closing') return;
    shutdown = 'closing';
    disposeIpc?.();
    const running = core;
    closeOpen311()
      .then(() => running.close())
      .catch((err: unknown) => logger.error('core did not close cleanly', { error: String(err) }))
      .finally(() => {
        shutdown = 'closed';
        app.quit();
      });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
  start().catch((err: unknown) => {
    logger.error('start-up failed', {
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    });
    dialog.showErrorBox('Watchfloor 无法启动 Cannot start', err instanceof Error ? err.message : String(err));
    disposeIpc?.();
    const closing = closeOpen311().then(() => (core ? core.close() : undefined));
    void closing.catch(() => undefined).finally(() => app.exit(1));
  });
}

/** The grid files of the hotline: the built renderer's map folder, else the source tree's (dev). */
function hotlineMapDir(appRoot: string): string | null {
  const candidates = [
    join(appRoot, 'out', 'renderer', 'map'),
    join(appRoot, 'src-renderer', 'public', 'map'),
  ];
  return candidates.find((d) => existsSync(join(d, 'grid-cells.geojson'))) ?? null;
}
