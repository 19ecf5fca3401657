import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../ports';
import { createOpen311Handler, isOpen311Path, sendOpen311NotFound } from './http';
import { DISCOVERY_PATH, type Open311Core, type Open311Options } from './open311-api';

/**
 * A server that serves only the Open311 API, for a host that has no HTTP server of its own (the
 * desktop app). The Node hub mounts the same handler on its own server instead.
 */

export const DEFAULT_OPEN311_HOST = '127.0.0.1';

export interface Open311ServerOptions extends Omit<Open311Options, 'logger'> {
  host: string;
  /** 0 picks a free port (tests); a host normally asks for a fixed one clients can be told. */
  port: number;
  logger: Logger;
}

export interface Open311Server {
  /** `http://host:port/`, the base of `/open311/...`. */
  url: string;
  port: number;
  /** Stops listening and drops open connections; safe to call more than once. */
  close(): Promise<void>;
}

/** Why the server could not listen, with the system's code (`EADDRINUSE`, `EACCES`, …) kept. */
export class Open311ListenError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
    options?: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'Open311ListenError';
  }
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host);
}

function shown(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function listenMessage(host: string, port: number, code: string | null, detail: string): string {
  const where = `${shown(host)}:${port}`;
  switch (code) {
    case 'EADDRINUSE':
      return `the Open311 port ${where} is already in use (another Watchfloor or another program); choose another port or stop the program that holds it`;
    case 'EACCES':
      return `no permission to listen on ${where} (ports below 1024 need privileges); choose a port from 1024 to 65535`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `${shown(host)} is not an address of this machine; bind 127.0.0.1 (the default), 0.0.0.0 or one of its own addresses`;
    default:
      return `the Open311 API could not listen on ${where}: ${detail}`;
  }
}

/**
 * Starts the standalone Open311 server. It rejects with an {@link Open311ListenError} when it cannot
 * listen (a port in use, a foreign address) and leaves nothing open behind, so the caller can carry
 * on without the API.
 */
export async function startOpen311Server(
  core: Open311Core,
  options: Open311ServerOptions,
): Promise<Open311Server> {
  const { host, port, logger, ...api } = options;
  if (!isLoopbackHost(host) && !api.apiKey)
    logger.warn(
      `open311: listening on ${host} without an API key: anyone who can reach it can read the requests ` +
        '(creating stays refused until WATCHFLOOR_OPEN311_API_KEY is set)',
      { host },
    );
  const handler = createOpen311Handler(core, { ...api, logger });
  const server = createServer((req, res) => {
    if (isOpen311Path(req.url)) handler(req, res);
    else sendOpen311NotFound(req, res);
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException): void => {
      server.close();
      const code = typeof err.code === 'string' ? err.code : null;
      reject(new Open311ListenError(listenMessage(host, port, code, err.message), code, { cause: err }));
    };
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  server.on('error', (err) => logger.error('open311: server error', { error: String(err) }));
  const bound = (server.address() as AddressInfo).port;
  const url = `http://${shown(host)}:${bound}/`;
  logger.info('open311: API listening', {
    discovery: `${url}${DISCOVERY_PATH.slice(1)}.json`,
    create: api.apiKey ? 'api key required' : 'disabled (no WATCHFLOOR_OPEN311_API_KEY)',
  });
  let closing: Promise<void> | null = null;
  return {
    url,
    port: bound,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
