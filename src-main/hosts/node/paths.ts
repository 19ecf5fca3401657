import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_PORT = 7420;

/** `$WATCHFLOOR_DATA_DIR`, else the XDG data folder: `~/.local/share/watchfloor/default`. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.WATCHFLOOR_DATA_DIR) return resolve(env.WATCHFLOOR_DATA_DIR);
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'watchfloor', 'default');
}

export function defaultPort(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.WATCHFLOOR_PORT;
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`WATCHFLOOR_PORT must be a port number 0-65535, got "${raw}"`);
  }
  return port;
}

/** The built renderer: next to the bundled hub (out/main → out/renderer), else out/renderer under cwd. */
export function defaultRendererDir(): string | null {
  const candidates = [fileURLToPath(new URL('../renderer/', import.meta.url)), resolve('out', 'renderer')];
  return candidates.find((d) => existsSync(join(d, 'index.html'))) ?? null;
}

/**
 * The health models: `$WATCHFLOOR_MODELS_DIR`, else `models/` of the project next to the bundled hub
 * (out/main → models), else `models/` under cwd; null when none has a model (rules only).
 */
export function defaultModelsDir(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.WATCHFLOOR_MODELS_DIR) return resolve(env.WATCHFLOOR_MODELS_DIR);
  const candidates = [
    // out/main/hub.js → models/; src-main/hosts/node/*.ts (tests, tsx) → models/; then cwd.
    fileURLToPath(new URL('../../models/', import.meta.url)),
    fileURLToPath(new URL('../../../models/', import.meta.url)),
    resolve('models'),
  ];
  return candidates.find((d) => existsSync(d)) ?? null;
}
