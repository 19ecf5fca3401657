import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as Ports from '../../core/ports';
import { DataFolderError } from '../../core/store/data-folder';

type Listener = (...args: unknown[]) => void;

const h = vi.hoisted(() => {
  const state = {
    lock: true,
    listeners: new Map<string, Listener[]>(),
    calls: [] as string[],
    errorBoxes: [] as { title: string; content: string }[],
    permission: null as null | ((wc: unknown, p: string, cb: (ok: boolean) => void) => void),
    handlers: new Map<string, unknown>(),
    wm: null as null | {
      openConsole: ReturnType<typeof vi.fn>;
      openWall: ReturnType<typeof vi.fn>;
      focusConsole: ReturnType<typeof vi.fn>;
    },
    openCore: null as unknown as (...args: unknown[]) => Promise<unknown>,
    core: {
      close: null as unknown as () => Promise<void>,
      subscribe: () => () => undefined,
      call: async () => null,
    },
  };
  const emit = (event: string, ...args: unknown[]) => {
    for (const l of state.listeners.get(event) ?? []) l(...args);
  };
  return { state, emit };
});

vi.mock('electron', () => {
  const { state } = h;
  return {
    app: {
      isPackaged: false,
      requestSingleInstanceLock: (data: unknown) => {
        state.calls.push(`lock ${JSON.stringify(data)}`);
        return state.lock;
      },
      quit: () => state.calls.push('quit'),
      exit: (code: number) => state.calls.push(`exit ${code}`),
      on: (event: string, l: Listener) =>
        state.listeners.set(event, [...(state.listeners.get(event) ?? []), l]),
      whenReady: () => Promise.resolve(),
      getPath: (name: string) => `/home/op/.config/Watchfloor-${name}`,
      getAppPath: () => '/opt/wf/app.asar',
      getVersion: () => '9.9.9',
      setAppUserModelId: () => undefined,
    },
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (plain: string) => Buffer.from(plain),
      decryptString: (blob: Buffer) => blob.toString(),
    },
    dialog: { showErrorBox: (title: string, content: string) => state.errorBoxes.push({ title, content }) },
    ipcMain: {
      handle: (channel: string, fn: unknown) => state.handlers.set(channel, fn),
      removeHandler: (channel: string) => state.handlers.delete(channel),
    },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: () => state.calls.push('menu') },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: typeof state.permission) => {
          state.permission = fn;
        },
        setPermissionCheckHandler: () => undefined,
      },
    },
  };
});

vi.mock('./windows', () => ({
  showSplash: () => {
    h.state.calls.push('splash');
    return {
      progress: (f: number) => h.state.calls.push(`progress ${f}`),
      close: () => h.state.calls.push('splash.close'),
    };
  },
  WindowManager: class {
    openConsole = vi.fn(() => h.state.calls.push('console'));
    openWall = vi.fn();
    focusConsole = vi.fn();
    targets = () => [];
    constructor() {
      h.state.wm = this;
    }
  },
}));

vi.mock('../../core/ports', async (importOriginal) => {
  const ports = await importOriginal<typeof Ports>();
  return { ...ports, stderrLogger: ports.silentLogger };
});

vi.mock('../../core/open-folder-core', () => ({
  DEMO_TICKETS: 50_000,
  DEMO_SEED: 1,
  openFolderCore: async (...args: unknown[]) => ({ core: await h.state.openCore(...args) }),
}));

const flush = () => new Promise((r) => setTimeout(r, 0));

async function boot(argv: string[], env: Record<string, string> = {}) {
  const saved = { argv: process.argv, env: { ...process.env } };
  process.argv = ['/opt/wf/watchfloor', ...argv];
  Object.assign(process.env, env);
  try {
    vi.resetModules();
    await import('./main');
    await flush();
  } finally {
    process.argv = saved.argv;
    process.env = saved.env;
  }
}

describe('electron main', () => {
  beforeEach(() => {
    const { state } = h;
    state.lock = true;
    state.listeners.clear();
    state.calls.length = 0;
    state.errorBoxes.length = 0;
    state.handlers.clear();
    state.wm = null;
    state.core.close = vi.fn(async () => {
      state.calls.push('core.close');
    });
    state.openCore = vi.fn(async () => state.core);
    delete process.env.WATCHFLOOR_DATA_DIR;
    delete process.env.WATCHFLOOR_DEMO;
  });
  afterEach(() => {
    for (const s of ['SIGINT', 'SIGTERM'] as const) process.removeAllListeners(s);
  });

  it('opens the core in <userData>/data, registers IPC, the menu and the console', async () => {
    await boot([]);
    expect(h.state.openCore).toHaveBeenCalledWith(
      expect.objectContaining({
        dataDir: '/home/op/.config/Watchfloor-userData/data',
        host: 'electron',
        demo: null,
        version: '9.9.9',
      }),
    );
    expect(h.state.handlers.has('watchfloor:invoke')).toBe(true);
    expect(h.state.calls).toContain('menu');
    expect(h.state.wm?.openConsole).toHaveBeenCalledTimes(1);
    expect(h.state.wm?.openWall).not.toHaveBeenCalled();
    const denied = vi.fn();
    h.state.permission?.({}, 'media', denied);
    expect(denied).toHaveBeenCalledWith(false);
  });

  it('shows a splash while a new folder is seeded and closes it once the console is open', async () => {
    h.state.openCore = vi.fn(async (options: unknown) => {
      const { onSeedProgress } = options as { onSeedProgress: (done: number, total: number) => void };
      onSeedProgress(0, 4);
      onSeedProgress(2, 4);
      return h.state.core;
    });
    await boot(['--demo']);
    const seen = h.state.calls.filter((c) => /splash|progress|console/.test(c));
    expect(seen).toEqual(['splash', 'progress 0', 'progress 0.5', 'console', 'splash.close']);
  });

  it('shows no splash when nothing is seeded', async () => {
    await boot([]);
    expect(h.state.calls).not.toContain('splash');
  });

  it('honours --wall, --demo and WATCHFLOOR_DATA_DIR', async () => {
    await boot(['--wall', '--demo'], { WATCHFLOOR_DATA_DIR: '/srv/watchfloor' });
    expect(h.state.openCore).toHaveBeenCalledWith(
      expect.objectContaining({ dataDir: '/srv/watchfloor', demo: { count: 50_000, seed: 1 } }),
    );
    expect(h.state.wm?.openWall).toHaveBeenCalledTimes(1);
  });

  it('a second launch quits at once and leaves the first instance to react', async () => {
    h.state.lock = false;
    await boot(['--wall']);
    expect(h.state.calls).toEqual(['lock {"wall":true}', 'quit']);
    expect(h.state.openCore).not.toHaveBeenCalled();
  });

  it('the first instance focuses its console on a second launch and opens the wall for --wall', async () => {
    await boot([]);
    h.emit('second-instance', {}, ['/opt/wf/watchfloor'], '/', { wall: false });
    expect(h.state.wm?.focusConsole).toHaveBeenCalledTimes(1);
    expect(h.state.wm?.openWall).not.toHaveBeenCalled();
    h.emit('second-instance', {}, ['/opt/wf/watchfloor', '--wall'], '/', null);
    expect(h.state.wm?.openWall).toHaveBeenCalledTimes(1);
    h.emit('second-instance', {}, ['/opt/wf/watchfloor'], '/', { wall: true });
    expect(h.state.wm?.openWall).toHaveBeenCalledTimes(2);
  });

  it('closes the core before quitting', async () => {
    await boot([]);
    const event = { preventDefault: vi.fn() };
    h.emit('before-quit', event);
    expect(event.preventDefault).toHaveBeenCalled();
    h.emit('before-quit', { preventDefault: vi.fn() });
    await flush();
    expect(h.state.core.close).toHaveBeenCalledTimes(1);
    expect(h.state.handlers.has('watchfloor:invoke')).toBe(false);
    expect(h.state.calls.slice(-2)).toEqual(['core.close', 'quit']);
    const final = { preventDefault: vi.fn() };
    h.emit('before-quit', final);
    expect(final.preventDefault).not.toHaveBeenCalled();
  });

  it('shows a native error with the folder and exits when the data folder cannot be opened', async () => {
    h.state.openCore = vi.fn(async () => {
      throw new DataFolderError('/srv/wf', 'it is in use by another Watchfloor process (pid 42)');
    });
    await boot([], { WATCHFLOOR_DATA_DIR: '/srv/wf' });
    expect(h.state.errorBoxes).toHaveLength(1);
    expect(h.state.errorBoxes[0]!.content).toContain('/srv/wf');
    expect(h.state.errorBoxes[0]!.content).toContain('pid 42');
    expect(h.state.calls).toContain('exit 1');
    expect(h.state.wm).toBeNull();
  });
});
