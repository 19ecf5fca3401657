// `npm start`: the desktop app when the Electron binary is available, otherwise the Node host in
// web mode. Either way on the embedded default data folder with demo data.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuild, root } from './ensure-build.mjs';

const require = createRequire(import.meta.url);
const failedStamp = join(root, 'out', '.electron-fetch-failed');
const DAY = 86_400_000;

function electronBinary() {
  try {
    // The electron package exports the binary's path, and throws when the binary is absent.
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/**
 * package.json keeps npm from running Electron's download during `npm ci` (it fails on machines
 * without access to its host), so fetch it here once; offline this fails in about a second and is
 * not retried for a day.
 */
function fetchElectron() {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD === '1') return null;
  if (existsSync(failedStamp) && Date.now() - Number(readFileSync(failedStamp, 'utf8')) < DAY) return null;
  process.stderr.write('Fetching the Electron binary for the desktop app…\n');
  const installer = join(root, 'node_modules', 'electron', 'install.js');
  const r = spawnSync(process.execPath, [installer], {
    cwd: join(root, 'node_modules', 'electron'),
    stdio: 'ignore',
    timeout: 300_000,
  });
  if (r.status === 0 && electronBinary()) return electronBinary();
  writeFileSync(failedStamp, String(Date.now()));
  process.stderr.write('Electron could not be downloaded here; using the web mode instead.\n');
  return null;
}

ensureBuild();
const electron = process.env.WATCHFLOOR_WEB === '1' ? null : (electronBinary() ?? fetchElectron());
if (electron) {
  process.stderr.write('Starting the Watchfloor desktop app (Electron)…\n');
  const child = spawn(electron, [root, '--demo', ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  process.stderr.write(
    'Starting the Node host: open the address below in a browser (/wall for the wall display).\n',
  );
  process.argv = [
    process.argv[0],
    join(root, 'out', 'main', 'hub.js'),
    'serve',
    '--demo',
    ...process.argv.slice(2),
  ];
  await import(pathToFileURL(join(root, 'out', 'main', 'hub.js')).href);
}
