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

/** A launch setting that cannot be used, with a message that names it and says what is expected. */
export class LaunchArgError extends Error {
  override name = 'LaunchArgError';
}

export interface Open311Launch {
  host: string;
  port: number;
  apiKey: string | null;
}

export const OPEN311_PORT_FLAG = '--open311-port';
const DEFAULT_OPEN311_HOST = '127.0.0.1';

/** The value of `--flag <v>` or `--flag=<v>` (the last one wins, as with other switches); undefined when absent. */
function flagValue(argv: readonly string[], flag: string): string | undefined {
  let value: string | undefined;
  argv.forEach((a, i) => {
    if (a === flag) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--'))
        throw new LaunchArgError(`${flag} needs a port number, for example ${flag} 7421.`);
      value = next;
    } else if (a.startsWith(`${flag}=`)) value = a.slice(flag.length + 1);
  });
  return value;
}

function portNumber(raw: string, source: string): number {
  const text = raw.trim();
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535))
    throw new LaunchArgError(
      `${source} ${JSON.stringify(raw)} is not a port number: give a whole number from 1 to 65535 (for example 7421).`,
    );
  return port;
}

/**
 * The desktop app's Open311 API: off unless `--open311-port <n>` or WATCHFLOOR_OPEN311_PORT asks for it
 * (the flag wins). It listens on WATCHFLOOR_OPEN311_HOST, else 127.0.0.1; creating requests needs
 * WATCHFLOOR_OPEN311_API_KEY, as on the hub. Throws a {@link LaunchArgError} for a setting it cannot use.
 */
export function open311LaunchFor(argv: readonly string[], env: Env): Open311Launch | null {
  const fromFlag = flagValue(argv, OPEN311_PORT_FLAG);
  const fromEnv = env.WATCHFLOOR_OPEN311_PORT?.trim() || undefined;
  if (fromFlag === undefined && fromEnv === undefined) return null;
  const port =
    fromFlag !== undefined
      ? portNumber(fromFlag, OPEN311_PORT_FLAG)
      : portNumber(fromEnv!, 'WATCHFLOOR_OPEN311_PORT');
  const rawHost = env.WATCHFLOOR_OPEN311_HOST?.trim() || DEFAULT_OPEN311_HOST;
  // `[::1]` is how an IPv6 address is written in a URL; listen() wants it bare.
  const host = /^\[.*\]$/.test(rawHost) ? rawHost.slice(1, -1) : rawHost;
  if (!/^[A-Za-z0-9.:%-]{1,253}$/.test(host))
    throw new LaunchArgError(
      `WATCHFLOOR_OPEN311_HOST ${JSON.stringify(rawHost)} is not a host name or IP address (for example 127.0.0.1 or 0.0.0.0).`,
    );
  return { host, port, apiKey: env.WATCHFLOOR_OPEN311_API_KEY?.trim() || null };
}
