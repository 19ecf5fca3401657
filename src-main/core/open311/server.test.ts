import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeHotlineCore } from '../../../tests/fixtures/open311/fake-core';
import { open311HttpConformance } from '../../../tests/fixtures/open311/http-conformance';
import { parseXml } from '../../../tests/fixtures/open311/schemas';
import type { Logger } from '../ports';
import { Open311ListenError, startOpen311Server, type Open311Server } from './server';

const KEY = 'standalone-key';

function recordingLogger(): Logger & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  return {
    lines,
    info: (message) => lines.push({ level: 'info', message }),
    warn: (message) => lines.push({ level: 'warn', message }),
    error: (message) => lines.push({ level: 'error', message }),
  };
}

let core: FakeHotlineCore;
let open311: Open311Server | null;

beforeEach(() => {
  core = new FakeHotlineCore();
  open311 = null;
});

afterEach(async () => {
  await open311?.close();
});

describe('the standalone Open311 server', () => {
  describe('conformance', () => {
    beforeEach(async () => {
      open311 = await startOpen311Server(core, {
        host: '127.0.0.1',
        port: 0,
        apiKey: KEY,
        logger: recordingLogger(),
      });
    });

    open311HttpConformance(() => ({
      base: open311!.url.replace(/\/$/, ''),
      apiKey: KEY,
      form: {
        service_code: 'environment.pollution.noise',
        lat: '31.23',
        long: '121.47',
        description: '夜里工地施工噪音很大',
      },
      ticketCount: async () => core.tickets.length,
    }));
  });

  it('answers every other path with a 404 in the spec error format, JSON or XML', async () => {
    open311 = await startOpen311Server(core, {
      host: '127.0.0.1',
      port: 0,
      apiKey: KEY,
      logger: recordingLogger(),
    });
    // A look-alike of an Open311 path outside /open311 is not served either.
    const json = await fetch(`${open311.url}x/discovery.json`);
    expect(json.status).toBe(404);
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(json.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await json.json()).toEqual([
      {
        code: 404,
        description: expect.stringMatching(
          /only the Open311 GeoReport v2 API.*\/open311\/v2\/services\.json/,
        ),
      },
    ]);
    for (const path of ['', 'healthz', 'wall', 'v2/services.xml']) {
      const res = await fetch(`${open311.url}${path}`, { method: path === 'wall' ? 'POST' : 'GET' });
      expect(res.status, path).toBe(404);
      expect(parseXml(await res.text()).tagName, path).toBe('errors');
    }
    expect(core.calls).toEqual([]);
  });

  it('reports its address and logs where the discovery file is', async () => {
    const logger = recordingLogger();
    open311 = await startOpen311Server(core, { host: '127.0.0.1', port: 0, apiKey: null, logger });
    expect(open311.url).toBe(`http://127.0.0.1:${open311.port}/`);
    expect(logger.lines).toEqual([{ level: 'info', message: 'open311: API listening' }]);
  });

  it('without an API key refuses to create requests', async () => {
    open311 = await startOpen311Server(core, {
      host: '127.0.0.1',
      port: 0,
      apiKey: null,
      logger: recordingLogger(),
    });
    const res = await fetch(`${open311.url}open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'service_code=environment.pollution.noise&lat=31.23&long=121.47&description=x',
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual([
      { code: 403, description: expect.stringMatching(/WATCHFLOOR_OPEN311_API_KEY/) },
    ]);
    expect(core.submits).toBe(0);
  });

  it('warns when it listens beyond loopback without an API key, and not with one', async () => {
    const bare = recordingLogger();
    open311 = await startOpen311Server(core, { host: '0.0.0.0', port: 0, apiKey: null, logger: bare });
    expect(bare.lines[0]).toEqual({
      level: 'warn',
      message: expect.stringMatching(/listening on 0\.0\.0\.0 without an API key: anyone who can reach it/),
    });
    await open311.close();
    const keyed = recordingLogger();
    open311 = await startOpen311Server(core, { host: '0.0.0.0', port: 0, apiKey: KEY, logger: keyed });
    expect(keyed.lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('rejects with a clear error when the port is in use, and leaves the other server alone', async () => {
    const holder: Server = createServer((_req, res) => res.end('holder'));
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as AddressInfo).port;
    try {
      const attempt = startOpen311Server(core, {
        host: '127.0.0.1',
        port,
        apiKey: KEY,
        logger: recordingLogger(),
      });
      await expect(attempt).rejects.toBeInstanceOf(Open311ListenError);
      await expect(attempt).rejects.toMatchObject({
        code: 'EADDRINUSE',
        message: expect.stringMatching(new RegExp(`port 127\\.0\\.0\\.1:${port} is already in use`)),
      });
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('holder');
      // The port was never taken: once it is free, the same call succeeds.
      await new Promise<void>((resolve) => holder.close(() => resolve()));
      open311 = await startOpen311Server(core, {
        host: '127.0.0.1',
        port,
        apiKey: KEY,
        logger: recordingLogger(),
      });
      expect(open311.port).toBe(port);
    } finally {
      if (holder.listening) await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });

  it('rejects an address that is not this machine’s', async () => {
    await expect(
      startOpen311Server(core, { host: '192.0.2.1', port: 0, apiKey: KEY, logger: recordingLogger() }),
    ).rejects.toMatchObject({
      code: 'EADDRNOTAVAIL',
      message: expect.stringMatching(/192\.0\.2\.1 is not an address of this machine/),
    });
  });

  it('closes once, however often it is asked, and stops answering', async () => {
    open311 = await startOpen311Server(core, {
      host: '127.0.0.1',
      port: 0,
      apiKey: KEY,
      logger: recordingLogger(),
    });
    const { url } = open311;
    // fetch keeps this connection open in its pool: closing must not wait for it to idle out.
    const kept = await fetch(`${url}open311/v2/services.json`);
    expect(kept.status).toBe(200);
    await Promise.all([open311.close(), open311.close()]);
    await open311.close();
    await expect(fetch(`${url}open311/v2/services.json`)).rejects.toThrow();
  });
});
