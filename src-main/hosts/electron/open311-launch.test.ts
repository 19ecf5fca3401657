import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeHotlineCore } from '../../../tests/fixtures/open311/fake-core';
import type { Logger } from '../../core/ports';
import type { Open311Server } from '../../core/open311/server';
import { startDesktopOpen311 } from './open311-launch';

function recordingLogger(): Logger & { errors: string[]; infos: string[] } {
  const errors: string[] = [];
  const infos: string[] = [];
  return {
    errors,
    infos,
    info: (message) => infos.push(message),
    warn: () => undefined,
    error: (message) => errors.push(message),
  };
}

let started: Open311Server | null = null;
afterEach(async () => {
  await started?.close();
  started = null;
});

describe('the desktop app’s Open311 start', () => {
  it('starts nothing by default', async () => {
    const logger = recordingLogger();
    expect(await startDesktopOpen311(new FakeHotlineCore(), ['watchfloor'], {}, logger)).toBeNull();
    expect([...logger.errors, ...logger.infos]).toEqual([]);
  });

  it('serves the API on the port the launch names, with its key', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const logger = recordingLogger();
    started = await startDesktopOpen311(
      new FakeHotlineCore(),
      ['watchfloor', '--open311-port', String(port)],
      { WATCHFLOOR_OPEN311_API_KEY: 'k' },
      logger,
    );
    expect(started?.url).toBe(`http://127.0.0.1:${port}/`);
    expect((await fetch(`${started!.url}open311/v2/services.json`)).status).toBe(200);
    expect(logger.errors).toEqual([]);
  });

  it('logs a bad setting and carries on without the API', async () => {
    const logger = recordingLogger();
    expect(
      await startDesktopOpen311(
        new FakeHotlineCore(),
        ['watchfloor'],
        { WATCHFLOOR_OPEN311_PORT: 'http' },
        logger,
      ),
    ).toBeNull();
    expect(logger.errors).toEqual([
      expect.stringMatching(
        /^open311: not started: WATCHFLOOR_OPEN311_PORT "http" is not a port number.*Watchfloor runs on without the Open311 API\.$/,
      ),
    ]);
  });

  it('logs a port in use and carries on without the API', async () => {
    const holder: Server = createServer((_req, res) => res.end());
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as AddressInfo).port;
    try {
      const logger = recordingLogger();
      expect(
        await startDesktopOpen311(
          new FakeHotlineCore(),
          ['watchfloor', `--open311-port=${port}`],
          {},
          logger,
        ),
      ).toBeNull();
      expect(logger.errors).toEqual([
        expect.stringMatching(
          new RegExp(
            `port 127\\.0\\.0\\.1:${port} is already in use.*Watchfloor runs on without the Open311 API`,
          ),
        ),
      ]);
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });
});
