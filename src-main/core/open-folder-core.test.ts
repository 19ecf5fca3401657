import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from './ports';
import { DataFolderError } from './store/data-folder';

const seed = vi.hoisted(() => ({ fn: vi.fn(async (..._args: unknown[]) => ({ tickets: 0 })) }));
vi.mock('./demo/seed-demo', () => ({ seedDemoData: seed.fn }));

const { DEMO_SEED, DEMO_TICKETS, openFolderCore } = await import('./open-folder-core');

const demo = { count: DEMO_TICKETS, seed: DEMO_SEED };
const openCore = async (o: {
  dataDir: string;
  demo: boolean;
  version: string;
  logger: typeof silentLogger;
  onSeedProgress?: (d: number, t: number) => void;
}) => (await openFolderCore({ ...o, host: 'electron', demo: o.demo ? demo : null })).core;

describe('openFolderCore', () => {
  let tmp: string;
  let dataDir: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'wf-open-'));
    dataDir = join(tmp, 'data');
    seed.fn.mockClear();
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('seeds a new folder in demo mode with the default configuration, once', async () => {
    const onSeedProgress = vi.fn();
    const core = await openCore({ dataDir, demo: true, version: 't', logger: silentLogger, onSeedProgress });
    expect(seed.fn).toHaveBeenCalledTimes(1);
    const [storage, config, options, progress] = seed.fn.mock.calls[0]!;
    expect(progress).toBe(onSeedProgress);
    expect(storage).toBe(core.storage);
    expect(config).toMatchObject({ types: expect.any(Array) });
    expect(options).toEqual({ count: DEMO_TICKETS, seed: DEMO_SEED, now: expect.any(Number) });
    expect(DEMO_TICKETS).toBe(50_000);
    await expect(core.call('system/info', {})).resolves.toMatchObject({ host: 'electron', version: 't' });
    await core.close();

    const again = await openCore({ dataDir, demo: true, version: 't', logger: silentLogger });
    expect(seed.fn).toHaveBeenCalledTimes(1);
    await again.close();
  });

  it('does not seed without demo mode', async () => {
    const core = await openCore({ dataDir, demo: false, version: 't', logger: silentLogger });
    expect(seed.fn).not.toHaveBeenCalled();
    await core.close();
  });

  it('releases the folder when seeding fails, and rethrows', async () => {
    seed.fn.mockRejectedValueOnce(new Error('seed broke'));
    await expect(openCore({ dataDir, demo: true, version: 't', logger: silentLogger })).rejects.toThrow(
      'seed broke',
    );
    const core = await openCore({ dataDir, demo: false, version: 't', logger: silentLogger });
    await core.close();
  });

  it('refuses a foreign folder without touching it', async () => {
    writeFileSync(join(tmp, 'notes.txt'), 'mine');
    await expect(
      openCore({ dataDir: tmp, demo: true, version: 't', logger: silentLogger }),
    ).rejects.toBeInstanceOf(DataFolderError);
    expect(readdirSync(tmp)).toEqual(['notes.txt']);
    expect(seed.fn).not.toHaveBeenCalled();
  });
});
