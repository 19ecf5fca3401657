import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_MESSAGE_BYTES, UNAUTHORIZED_CLOSE_CODE } from '../../src-main/shared/contract';
import { silentLogger } from '../../src-main/core/ports';
import { startHubServer, type HubServer } from '../../src-main/hosts/node/http-server';
import type { Core } from '../../src-main/core/create-core';
import { startCore } from '../helpers/core-fixture';
import { tempDir } from '../helpers/temp-dir';

/** A raw WebSocket client: sends text, collects every message parsed as JSON. */
async function rawClient(
  url: string,
  headers: Record<string, string> = {},
): Promise<{
  ws: WebSocket;
  messages: Record<string, unknown>[];
  next: (pred?: (m: Record<string, unknown>) => boolean) => Promise<Record<string, unknown>>;
  closed: Promise<{ code: number; reason: string }>;
}> {
  const ws = new WebSocket(url, { headers });
  const messages: Record<string, unknown>[] = [];
  const waiters: {
    pred: (m: Record<string, unknown>) => boolean;
    resolve: (m: Record<string, unknown>) => void;
  }[] = [];
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString()) as Record<string, unknown>;
    messages.push(m);
    for (const w of [...waiters]) {
      if (w.pred(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    messages,
    closed,
    next: (pred = () => true) =>
      new Promise((resolve, reject) => {
        const found = messages.find(pred);
        if (found) return resolve(found);
        const timer = setTimeout(() => reject(new Error('no matching message within 5 s')), 5_000);
        waiters.push({ pred, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      }),
  };
}

function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', () => undefined);
  });
}

describe('hub server', () => {
  let core: Core;
  let stopCore: () => Promise<void>;
  let hub: HubServer;
  let rendererDir: ReturnType<typeof tempDir>;

  beforeEach(async () => {
    ({ core, stop: stopCore } = await startCore());
    rendererDir = tempDir('wf-renderer-');
    mkdirSync(join(rendererDir.path, 'assets'));
    writeFileSync(join(rendererDir.path, 'index.html'), '<!doctype html><title>Watchfloor</title>');
    writeFileSync(join(rendererDir.path, 'assets', 'app-1234.js'), 'console.log(1)');
    hub = await startHubServer({
      core,
      logger: silentLogger,
      host: '127.0.0.1',
      port: 0,
      rendererDir: rendererDir.path,
      version: 'test',
      rpc: { ratePerSecond: 50, rateBurst: 100 },
    });
  });
  afterEach(async () => {
    await hub.close();
    await stopCore();
    rendererDir.cleanup();
  });

  const wsUrl = (): string => `ws://127.0.0.1:${hub.port}/rpc`;

  it('serves the renderer, falls back to index.html for client routes, and never leaves its folder', async () => {
    const index = await fetch(`${hub.url}`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(index.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(await (await fetch(`${hub.url}wall`)).text()).toContain('<title>Watchfloor</title>');
    const asset = await fetch(`${hub.url}assets/app-1234.js`);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${hub.url}assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${hub.url}..%2f..%2fpackage.json`)).status).toBe(403);
    expect((await fetch(`${hub.url}`, { method: 'POST' })).status).toBe(405);
    expect(await (await fetch(`${hub.url}healthz`)).json()).toMatchObject({ ok: true });
  });

  it('answers invalid messages with INVALID_MESSAGE and keeps the connection', async () => {
    const c = await rawClient(wsUrl());
    c.ws.send('this is not json');
    expect(await c.next()).toMatchObject({ id: null, error: { code: 'INVALID_MESSAGE' } });
    c.ws.send(JSON.stringify({ id: 7, params: {} }));
    const bad = await c.next((m) => m.id === 7);
    expect(bad).toMatchObject({
      error: { code: 'INVALID_MESSAGE', details: { issues: [{ path: 'method' }] } },
    });
    c.ws.send(JSON.stringify({ id: 8, method: 'tickets/list', params: { filter: { priority: ['P9'] } } }));
    expect(await c.next((m) => m.id === 8)).toMatchObject({
      error: { code: 'INVALID_ARGUMENT', details: { issues: [{ path: 'filter.priority.0' }] } },
    });
    c.ws.send(JSON.stringify({ id: 9, method: 'nope/never', params: {} }));
    expect(await c.next((m) => m.id === 9)).toMatchObject({ error: { code: 'METHOD_NOT_FOUND' } });
    c.ws.send(JSON.stringify({ id: 10, method: 'system/info', params: {} }));
    expect(await c.next((m) => m.id === 10)).toHaveProperty('result');
    c.ws.close();
  });

  it('rejects a message over 1 MiB with PAYLOAD_TOO_LARGE, drops one over 4 MiB, and other clients carry on', async () => {
    const other = await rawClient(wsUrl());
    const c = await rawClient(wsUrl());
    const big = JSON.stringify({
      id: 11,
      method: 'tickets/create',
      params: { typeId: 'device-fault', title: 'x'.repeat(MAX_MESSAGE_BYTES) },
    });
    c.ws.send(big);
    expect(await c.next((m) => m.id === 11)).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    c.ws.send(JSON.stringify({ id: 12, method: 'system/info', params: {} }));
    expect(await c.next((m) => m.id === 12)).toHaveProperty('result');
    c.ws.send('x'.repeat(5 * MAX_MESSAGE_BYTES));
    expect((await c.closed).code).toBe(1009);
    other.ws.send(JSON.stringify({ id: 1, method: 'system/info', params: {} }));
    expect(await other.next((m) => m.id === 1)).toHaveProperty('result');
    other.ws.close();
  });

  it('rate-limits a flooding client without slowing the others', async () => {
    const flood = await rawClient(wsUrl());
    const calm = await rawClient(wsUrl());
    for (let i = 0; i < 1_000; i++)
      flood.ws.send(JSON.stringify({ id: i, method: 'system/info', params: {} }));
    await flood.next((m) => (m.error as { code?: string } | undefined)?.code === 'RATE_LIMITED');
    const started = performance.now();
    calm.ws.send(JSON.stringify({ id: 'calm', method: 'tickets/list', params: {} }));
    expect(await calm.next((m) => m.id === 'calm')).toHaveProperty('result');
    expect(performance.now() - started).toBeLessThan(1_000);
    await flood.next((m) => m.id === 999);
    const limited = flood.messages.filter(
      (m) => (m.error as { code?: string } | undefined)?.code === 'RATE_LIMITED',
    ).length;
    expect(limited).toBeGreaterThan(800);
    flood.ws.close();
    calm.ws.close();
  });

  it('limits the core time one connection may use, so expensive floods are refused early', async () => {
    const spin = (ms: number): void => {
      const end = performance.now() + ms;
      while (performance.now() < end) {
        // a query that costs `ms` of core time
      }
    };
    const slowCore = {
      call: async (method: string) => {
        if (method === 'tickets/list') spin(20);
        return { ok: method };
      },
      subscribe: () => () => undefined,
    } as unknown as Core;
    const limited = await startHubServer({
      core: slowCore,
      logger: silentLogger,
      host: '127.0.0.1',
      port: 0,
      rendererDir: null,
      version: 'test',
      rpc: { workBurstMs: 500, workPerSecondMs: 100 },
    });
    try {
      const heavy = await rawClient(`ws://127.0.0.1:${limited.port}/rpc`);
      for (let i = 0; i < 60; i++)
        heavy.ws.send(JSON.stringify({ id: i, method: 'tickets/list', params: {} }));
      await heavy.next((m) => m.id === 59);
      const refused = heavy.messages.filter(
        (m) => (m.error as { code?: string } | undefined)?.code === 'RATE_LIMITED',
      );
      const served = heavy.messages.filter((m) => 'result' in m);
      expect(refused.length).toBeGreaterThanOrEqual(20);
      expect(served.length).toBeLessThanOrEqual(35);
      const calm = await rawClient(`ws://127.0.0.1:${limited.port}/rpc`);
      calm.ws.send(JSON.stringify({ id: 'calm', method: 'tickets/list', params: {} }));
      expect(await calm.next((m) => m.id === 'calm')).toHaveProperty('result');
      heavy.ws.close();
      calm.ws.close();
    } finally {
      await limited.close();
    }
  });

  it('refuses upgrades from a foreign origin, for a foreign host name, or on another path', async () => {
    expect(await upgradeStatus(wsUrl(), { Origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus(wsUrl(), { Origin: `http://127.0.0.1:${hub.port}` })).toBe(101);
    expect(await upgradeStatus(`ws://127.0.0.1:${hub.port}/elsewhere`)).toBe(404);
    // DNS rebinding: the attacker's page is same-origin with itself, but names its own host.
    const rebound = `evil.example:${hub.port}`;
    expect(await upgradeStatus(wsUrl(), { Host: rebound, Origin: `http://${rebound}` })).toBe(403);
    expect(await upgradeStatus(wsUrl(), { Host: `localhost:${hub.port}` })).toBe(101);
  });

  it('requires the token when one is set, and refuses a public bind without one', async () => {
    await expect(
      startHubServer({
        core,
        logger: silentLogger,
        host: '0.0.0.0',
        port: 0,
        rendererDir: null,
        version: 'test',
      }),
    ).rejects.toThrow(/without a token/);
    const guarded = await startHubServer({
      core,
      logger: silentLogger,
      host: '0.0.0.0',
      port: 0,
      rendererDir: null,
      version: 'test',
      token: 's3cret-token',
    });
    try {
      const url = `ws://127.0.0.1:${guarded.port}/rpc`;
      // Refused clients learn why (a browser cannot see an upgrade's HTTP status): an error, then close 4401.
      for (const [target, message] of [
        [url, /requires an access token/],
        [`${url}?token=wrong`, /token is wrong/],
      ] as const) {
        const c = await rawClient(target);
        expect(await c.next()).toMatchObject({
          id: null,
          error: { code: 'UNAUTHENTICATED', message: expect.stringMatching(message) },
        });
        expect((await c.closed).code).toBe(UNAUTHORIZED_CLOSE_CODE);
      }
      const ok = await rawClient(`${url}?token=s3cret-token`);
      ok.ws.send(JSON.stringify({ id: 1, method: 'system/info', params: {} }));
      expect(await ok.next((m) => m.id === 1)).toHaveProperty('result');
      ok.ws.close();
    } finally {
      await guarded.close();
    }
  });
});
