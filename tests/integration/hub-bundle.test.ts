import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openDataFolder } from '../../src-main/core/store/data-folder';
import { tempDir } from '../helpers/temp-dir';

const root = fileURLToPath(new URL('../../', import.meta.url));
const hub = join(root, 'out', 'main', 'hub.js');
const denyElectron = join(root, 'tests', 'fixtures', 'deny-electron.cjs');

function runHub(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--require', denyElectron, hub, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the built Node hub', () => {
  it('exists (npm test builds before it runs the unit tests)', () => {
    expect(existsSync(hub), `${hub} is missing: run \`npm run build\``).toBe(true);
  });

  it('loads and runs in plain Node with electron made unloadable', () => {
    const help = runHub(['--help']);
    expect(help.stderr).not.toContain('electron was');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('serve');
    for (const sub of [
      ['serve', '--help'],
      ['store', 'verify', '--help'],
      ['demo', 'generate', '--help'],
    ]) {
      const r = runHub(sub);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain('Usage: watchfloor');
    }
    const dir = tempDir('wf-bundle-');
    try {
      const gen = runHub(['demo', 'generate', '--data-dir', join(dir.path, 'd'), '--count', '200']);
      expect(gen.status, gen.stderr).toBe(0);
      const verify = runHub(['store', 'verify', '--data-dir', join(dir.path, 'd')]);
      expect(verify.status, verify.stdout + verify.stderr).toBe(0);
      expect(verify.stdout).toContain('Result: OK');
      // --force moves only a Watchfloor folder that nobody is using.
      const folder = openDataFolder(join(dir.path, 'd'), { create: false });
      const busy = runHub([
        'demo',
        'generate',
        '--data-dir',
        join(dir.path, 'd'),
        '--count',
        '10',
        '--force',
      ]);
      folder.release();
      expect(busy.status).toBe(1);
      expect(busy.stderr).toMatch(/in use by a running Watchfloor \(pid \d+\)/);
      mkdirSync(join(dir.path, 'mine'));
      writeFileSync(join(dir.path, 'mine', 'thesis.docx'), 'precious');
      const foreign = runHub([
        'demo',
        'generate',
        '--data-dir',
        join(dir.path, 'mine'),
        '--count',
        '10',
        '--force',
      ]);
      expect(foreign.status).toBe(1);
      expect(foreign.stderr).toMatch(/not a Watchfloor data folder/);
      expect(readdirSync(join(dir.path, 'mine'))).toEqual(['thesis.docx']);
    } finally {
      dir.cleanup();
    }
  });

  it('has no electron import in the hub entry or any chunk it shares with the desktop build', () => {
    const files = [
      hub,
      ...readdirSync(join(root, 'out', 'main', 'chunks')).map((f) => join(root, 'out', 'main', 'chunks', f)),
    ];
    for (const f of files)
      expect(readFileSync(f, 'utf8'), f).not.toMatch(
        /from\s*["']electron["']|require\(\s*["']electron["']\s*\)/,
      );
  });
});
