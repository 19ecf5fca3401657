// Builds the app when the sources are newer than the last build, so `npm start` and
// `npx watchfloor` work right after `npm ci` and never run a stale bundle.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'out', '.build-stamp');
const sources = ['src-main', 'src-renderer', 'electron.vite.config.ts', 'package.json', 'tsconfig.json'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    max = Math.max(max, newest(join(path, name)));
  }
  return max;
}

export function ensureBuild() {
  const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  const changed = Math.max(...sources.map((s) => newest(join(root, s))));
  if (built >= changed && existsSync(join(root, 'out', 'main', 'hub.js'))) return;
  process.stderr.write('Building Watchfloor (electron-vite build)…\n');
  const bin = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  // Build output goes to stderr: stdout carries only what the commands themselves print.
  const result = spawnSync(process.execPath, [bin, 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    process.stderr.write('watchfloor: the build failed; see the output above.\n');
    process.exit(result.status ?? 1);
  }
  writeFileSync(stamp, new Date().toISOString() + '\n');
}
