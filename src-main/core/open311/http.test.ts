import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeHotlineCore } from '../../../tests/fixtures/open311/fake-core';
import { open311HttpConformance } from '../../../tests/fixtures/open311/http-conformance';
import { createOpen311Handler, isOpen311Path } from './http';

const KEY = 'k3y';
let core: FakeHotlineCore;
let server: Server;
let base: string;

beforeEach(async () => {
  core = new FakeHotlineCore();
  const handler = createOpen311Handler(core, { apiKey: KEY });
  server = createServer((req, res) => {
    if (isOpen311Path(req.url)) handler(req, res);
    else res.writeHead(418).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('Open311 over HTTP (the handler on a bare server)', () => {
  open311HttpConformance(() => ({
    base,
    apiKey: KEY,
    form: {
      service_code: 'environment.pollution.noise',
      lat: '31.23',
      long: '121.47',
      description: '夜里工地施工噪音很大',
    },
    ticketCount: async () => core.tickets.length,
  }));

  it('matches only the /open311 paths', () => {
    expect(isOpen311Path('/open311/v2/services.json')).toBe(true);
    expect(isOpen311Path('/open311/discovery.json')).toBe(true);
    expect(isOpen311Path('/open3110')).toBe(false);
    expect(isOpen311Path('/api/weather/forecast')).toBe(false);
    expect(isOpen311Path(undefined)).toBe(false);
  });
});
