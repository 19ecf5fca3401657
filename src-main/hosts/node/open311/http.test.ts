import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeHotlineCore } from '../../../../tests/fixtures/open311/fake-core';
import { parseXml, schemaErrors } from '../../../../tests/fixtures/open311/schemas';
import { createOpen311Handler, isOpen311Path, MAX_BODY_BYTES } from './http';

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

const FORM = new URLSearchParams({
  api_key: KEY,
  service_code: 'environment.pollution.noise',
  lat: '31.23',
  long: '121.47',
  description: '夜里工地施工噪音很大',
});

describe('Open311 over HTTP', () => {
  it('sends JSON and XML with the spec content types and UTF-8', async () => {
    const j = await fetch(`${base}/open311/v2/services.json`);
    expect(j.status).toBe(200);
    expect(j.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(j.headers.get('access-control-allow-origin')).toBe('*');
    expect(schemaErrors('services', await j.json())).toEqual([]);
    const x = await fetch(`${base}/open311/v2/services.xml`);
    expect(x.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    const text = await x.text();
    expect(text).toContain('encoding="utf-8"');
    expect(parseXml(text).tagName).toBe('services');
  });

  it('reads a form-encoded POST (charset included) and answers the request id', async () => {
    const res = await fetch(`${base}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: FORM.toString(),
    });
    expect(res.status).toBe(200);
    const [created] = (await res.json()) as { service_request_id: string }[];
    expect(core.tickets[0]!.description).toBe('夜里工地施工噪音很大');
    const got = await fetch(`${base}/open311/v2/requests/${created!.service_request_id}.json`);
    const body: unknown = await got.json();
    expect(schemaErrors('requests', body)).toEqual([]);
    expect(body).toMatchObject([{ service_request_id: created!.service_request_id, status: 'open' }]);
  });

  it('refuses another body type, an oversized body and a wrong key with spec errors', async () => {
    const json = await fetch(`${base}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(Object.fromEntries(FORM)),
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toEqual([
      { code: 400, description: expect.stringMatching(/x-www-form-urlencoded/) },
    ]);

    const big = await fetch(`${base}/open311/v2/requests.xml`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `description=${'x'.repeat(MAX_BODY_BYTES + 10)}`,
    });
    expect(big.status).toBe(413);
    expect(parseXml(await big.text()).tagName).toBe('errors');

    const wrong = new URLSearchParams(FORM);
    wrong.set('api_key', 'nope');
    const denied = await fetch(`${base}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: wrong.toString(),
    });
    expect(denied.status).toBe(403);
    expect(core.submits).toBe(0);
  });

  it('answers a CORS preflight and the discovery file with the address the client used', async () => {
    const pre = await fetch(`${base}/open311/v2/requests.json`, { method: 'OPTIONS' });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-methods')).toBe('GET, POST');
    const d = (await (await fetch(`${base}/open311/discovery.json`)).json()) as {
      endpoints: { url: string }[];
    };
    expect(d.endpoints[0]!.url).toBe(`${base}/open311/v2`);
  });

  it('matches only the /open311 paths', () => {
    expect(isOpen311Path('/open311/v2/services.json')).toBe(true);
    expect(isOpen311Path('/open311/discovery.json')).toBe(true);
    expect(isOpen311Path('/open3110')).toBe(false);
    expect(isOpen311Path('/api/weather/forecast')).toBe(false);
    expect(isOpen311Path(undefined)).toBe(false);
  });
});
