import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Core } from '../../core/create-core';
import type { Logger } from '../../core/ports';
import { attachRpcEndpoint, type RpcEndpointOptions } from './rpc-endpoint';
import { handleForecastRequest } from '../../core/simulator/weather-forecast';
import { createStaticHandler, SECURITY_HEADERS } from './static-files';
import { createOpen311Handler, isOpen311Path } from '../../core/open311/http';
import type { Open311Options } from '../../core/open311/open311-api';

export const WEATHER_PATH = '/api/weather/forecast';

export interface HubServerOptions {
  core: Core;
  logger: Logger;
  host: string;
  port: number;
  rendererDir: string | null;
  token?: string;
  version: string;
  /**
   * Demo mode: serve the simulator's weather as a forecast API at `/api/weather/forecast`, for the
   * weather connector (the seed makes it the same weather the simulated devices see).
   */
  weatherSeed?: number | null;
  /**
   * The Open311 GeoReport v2 API at `/open311/v2/` (discovery at `/open311/discovery.json`); off when
   * absent. Without an API key it answers reads and refuses POST with a 403 that says how to set one.
   */
  open311?: Open311Options | null;
  rpc?: Pick<
    RpcEndpointOptions,
    'ratePerSecond' | 'rateBurst' | 'maxInFlight' | 'maxClients' | 'workBurstMs' | 'workPerSecondMs'
  >;
}

export interface HubServer {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host);
}

/** HTTP for the renderer and `/healthz`, WebSocket RPC at `/rpc`. */
export async function startHubServer(options: HubServerOptions): Promise<HubServer> {
  if (!isLoopback(options.host) && !options.token) {
    throw new Error(
      `refusing to listen on ${options.host} without a token: anyone on the network could read and change tickets. ` +
        'Pass --token <secret> (or set WATCHFLOOR_TOKEN), or bind 127.0.0.1.',
    );
  }
  const serveStatic = createStaticHandler(options.rendererDir);
  let allowedHosts: ReadonlySet<string> | null = null;
  const rpc = attachRpcEndpoint({
    core: options.core,
    logger: options.logger,
    token: options.token,
    allowedHosts: () => allowedHosts,
    ...options.rpc,
  });
  const open311 = options.open311
    ? createOpen311Handler(options.core, { logger: options.logger, ...options.open311 })
    : null;
  const server = createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': 'application/json',
        'Cache-Control': 'no-store',
      });
      res.end(JSON.stringify({ ok: true, version: options.version, clients: rpc.clientCount() }));
      return;
    }
    if (options.weatherSeed != null && req.url?.startsWith(WEATHER_PATH)) {
      const reply = handleForecastRequest(
        new URL(req.url, 'http://hub'),
        options.weatherSeed,
        options.core.predict.telemetryTime() ?? Date.now(),
      );
      res.writeHead(reply.status, {
        ...SECURITY_HEADERS,
        'Content-Type': 'application/json',
        'Cache-Control': 'no-store',
      });
      res.end(JSON.stringify(reply.body));
      return;
    }
    if (open311 && isOpen311Path(req.url)) {
      open311(req, res);
      return;
    }
    serveStatic(req, res);
  });
  server.on('upgrade', (req, socket, head) => rpc.handleUpgrade(req, socket, head));
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  // Without a token only loopback names may reach the RPC (a token already shuts rebinding out).
  if (!options.token) allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    server,
    port,
    url: `http://${shownHost}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        rpc.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
