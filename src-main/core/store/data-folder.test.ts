import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/helpers/temp-dir';
import { silentLogger } from '../ports';
import { DataFolderError, lockHolder, openDataFolder } from './data-folder';
import { FileStore } from './file-store';
import { FILE_HEADER_BYTES, encodeFileHeader } from './record-codec';

const opener = fileURLToPath(new URL('../../../tests/fixtures/open-folder.ts', import.meta.url));

/** Runs `n` processes that try to open the folder at the same moment; resolves with their outcomes. */
function race(dir: string, n: number): Promise<string[]> {
  return Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<string>((resolve) => {
          const child = spawn(process.execPath, ['--import', 'tsx', opener, dir], {
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let out = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.on('exit', () => resolve(out.trim()));
        }),
    ),
  );
}

describe('data folder', () => {
  let tmp: ReturnType<typeof tempDir>;
  let dir: string;
  beforeEach(() => {
    tmp = tempDir();
    dir = join(tmp.path, 'data');
  });
  afterEach(() => tmp.cleanup());

  it('lets exactly one of several processes take a stale lock', async () => {
    openDataFolder(dir, { create: true }).release();
    writeFileSync(join(dir, 'watchfloor.lock'), '999999\n'); // a pid that is not running
    const outcomes = await race(dir, 4);
    expect(outcomes.filter((o) => o === 'locked')).toHaveLength(1);
    expect(outcomes.filter((o) => o.startsWith('refused'))).toHaveLength(3);
  }, 60_000);

  it('releases only its own lock', () => {
    const folder = openDataFolder(dir, { create: true });
    writeFileSync(join(dir, 'watchfloor.lock'), `${process.pid + 1}\n`);
    folder.release();
    expect(readFileSync(join(dir, 'watchfloor.lock'), 'utf8')).toBe(`${process.pid + 1}\n`);
  });

  it('reports the live holder of a lock', () => {
    const folder = openDataFolder(dir, { create: true });
    expect(lockHolder(dir)).toBe(process.pid);
    folder.release();
    expect(lockHolder(dir)).toBeNull();
  });

  it('initialises again a folder whose first initialisation was interrupted', async () => {
    mkdirSync(join(dir, 'snapshots'), { recursive: true });
    writeFileSync(join(dir, 'journal.wfj'), encodeFileHeader());
    writeFileSync(join(dir, 'watchfloor.json.tmp'), '{"half":');
    const storage = await FileStore.open({ dir, logger: silentLogger });
    expect(storage.created).toBe(true);
    await storage.close();
    expect(readdirSync(dir).sort()).toEqual(['journal.wfj', 'snapshots', 'watchfloor.json']);
  });

  it('refuses a journal with data but no manifest, and changes nothing', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'journal.wfj'), Buffer.concat([encodeFileHeader(), Buffer.alloc(100, 7)]));
    await expect(FileStore.open({ dir, logger: silentLogger })).rejects.toThrow(DataFolderError);
    await expect(FileStore.open({ dir, logger: silentLogger })).rejects.toThrow(
      /holds data but watchfloor.json is missing/,
    );
    expect(readFileSync(join(dir, 'journal.wfj')).length).toBe(FILE_HEADER_BYTES + 100);
    expect(existsSync(join(dir, 'watchfloor.json'))).toBe(false);
  });
});
