import { join } from 'node:path';

export interface LaunchArgs {
  /** Open the wall window (on the first launch, or in the running instance on a second launch). */
  wall: boolean;
  /** Seed demo data into a new data folder. */
  demo: boolean;
}

/**
 * Reads Watchfloor's own flags from a process argv. Electron and Chromium add switches of their own
 * (and the app path in development), so anything unknown is ignored rather than refused.
 */
export function parseArgs(argv: readonly string[]): LaunchArgs {
  const flags = new Set(argv.filter((a) => a.startsWith('--')).map((a) => a.split('=')[0]));
  return { wall: flags.has('--wall'), demo: flags.has('--demo') };
}

type Env = Readonly<Record<string, string | undefined>>;

/** Demo mode: the `--demo` flag or WATCHFLOOR_DEMO=1. */
export function demoEnabled(args: LaunchArgs, env: Env): boolean {
  return args.demo || env.WATCHFLOOR_DEMO === '1' || env.WATCHFLOOR_DEMO === 'true';
}

/** The data folder: WATCHFLOOR_DATA_DIR, else `<userData>/data`. */
export function dataDirFor(userData: string, env: Env): string {
  const override = env.WATCHFLOOR_DATA_DIR?.trim();
  return override ? override : join(userData, 'data');
}
