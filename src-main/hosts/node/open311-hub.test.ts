import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDefaultClassifier } from '@shared/domain/classify/classifier';
import { createCore, type Core } from '../../core/create-core';
import { silentLogger } from '../../core/ports';
import { FileStore } from '../../core/store/file-store';
import { tempDir } from '../../../tests/helpers/temp-dir';
import { open311HttpConformance } from '../../../tests/fixtures/open311/http-conformance';
import { parseXml, schemaErrors } from '../../../tests/fixtures/open311/schemas';
import { startOpen311Server, type Open311Server } from '../../core/open311/server';
import { startHubServer, type HubServer } from './http-server';

/**
 * The Open311 API on the Node hub against the real core: `hotline/submit` with the shipped
 * classifier, the demo city's grid and the responsibility matrix. The desktop app's standalone server
 * runs on the same core, and both pass the same HTTP conformance checks.
 */
const MAP = join(import.meta.dirname, '../../../src-renderer/public/map');
const KEY = 'integration-key';
// Inside grid cell 330102-001-001 (上城区 清波街道) of the demo city.
const INSIDE = { lat: '30.2817', long: '120.2221' };

let core: Core;
let hub: HubServer;
let off: HubServer;
let standalone: Open311Server;
let cleanup: () => void;

beforeAll(async () => {
  const tmp = tempDir('wf-open311-');
  cleanup = tmp.cleanup;
  const storage = await FileStore.open({ dir: join(tmp.path, 'data'), logger: silentLogger });
  core = await createCore({
    storage,
    host: 'node',
    version: 'test',
    hotline: { mapDir: MAP, classifier: getDefaultClassifier },
  });
  await core.hotline.ready();
  const common = {
    core,
    logger: silentLogger,
    host: '127.0.0.1',
    port: 0,
    rendererDir: null,
    version: 'test',
  };
  hub = await startHubServer({ ...common, open311: { apiKey: KEY } });
  off = await startHubServer(common);
  standalone = await startOpen311Server(core, {
    host: '127.0.0.1',
    port: 0,
    apiKey: KEY,
    logger: silentLogger,
  });
}, 120_000);

afterAll(async () => {
  await hub?.close();
  await off?.close();
  await standalone?.close();
  await core?.close();
  cleanup?.();
});

function postForm(fields: Record<string, string>, format = 'json'): Promise<Response> {
  return fetch(`${hub.url}open311/v2/requests.${format}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams(fields).toString(),
  });
}

describe('Open311 on the hub with the real core', () => {
  const request = {
    api_key: KEY,
    service_code: 'environment.pollution.noise',
    ...INSIDE,
    description: '工地晚上十一点还在打桩，噪音很大，吵得睡不着。联系电话13912345678',
    first_name: '李',
    phone: '13912345678',
    'attribute[reply_required]': 'yes',
  };

  it('creates a citizen ticket that keeps its Open311 id, once', async () => {
    const res = await postForm(request);
    expect(res.status).toBe(200);
    const [created] = (await res.json()) as { service_request_id: string; service_notice: string }[];
    expect(created!.service_request_id).toMatch(/^o311-/);
    const again = (await (await postForm(request)).json()) as { service_request_id: string }[];
    expect(again[0]!.service_request_id).toBe(created!.service_request_id);

    const list = (await core.call('tickets/list', {
      filter: { businessKey: { value: created!.service_request_id } },
    })) as { total: number; items: { number: string; source: string }[] };
    expect(list.total).toBe(1);
    expect(created!.service_notice).toBe(`Watchfloor ticket ${list.items[0]!.number}`);

    const got = await fetch(`${hub.url}open311/v2/requests/${created!.service_request_id}.json`);
    expect(got.status).toBe(200);
    const body = (await got.json()) as Record<string, unknown>[];
    expect(schemaErrors('requests', body)).toEqual([]);
    expect(body[0]).toMatchObject({
      service_request_id: created!.service_request_id,
      status: 'open',
      service_code: 'environment.pollution.noise',
      lat: 30.2817,
      long: 120.2221,
    });
    expect(JSON.stringify(body)).not.toContain('13912345678');

    const all = (await (
      await fetch(`${hub.url}open311/v2/requests.json?status=open&service_code=environment.pollution.noise`)
    ).json()) as { service_request_id: string }[];
    expect(schemaErrors('requests', all)).toEqual([]);
    expect(all.filter((r) => r.service_request_id === created!.service_request_id)).toHaveLength(1);
    const xml = parseXml(await (await fetch(`${hub.url}open311/v2/requests.xml`)).text());
    expect(xml.tagName).toBe('service_requests');
  });

  it('refuses a point outside the city and creates nothing', async () => {
    const before = ((await core.call('tickets/list', {})) as { total: number }).total;
    const res = await postForm({ ...request, lat: '39.9042', long: '116.4074', description: '北京的噪音' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual([{ code: 400, description: expect.stringMatching(/outside the city/) }]);
    expect(((await core.call('tickets/list', {})) as { total: number }).total).toBe(before);
  });
});

describe('Open311 on the hub', () => {
  it('serves services and discovery when enabled, and nothing when not', async () => {
    const services = await fetch(`${hub.url}open311/v2/services.json`);
    expect(services.status).toBe(200);
    expect(schemaErrors('services', await services.json())).toEqual([]);
    const discovery = await fetch(`${hub.url}open311/discovery.xml`);
    expect(parseXml(await discovery.text()).tagName).toBe('discovery');
    const disabled = await fetch(`${off.url}open311/v2/services.json`);
    expect(disabled.headers.get('content-type') ?? '').not.toContain('application/json');
  });
});

/** A valid request inside the demo city, different from the one above. */
const CONFORMANCE_FORM = {
  service_code: 'urban.municipal.roads-lights',
  ...INSIDE,
  description: '路口路面破损有个大坑，电动车容易摔倒',
};
const ticketCount = async (): Promise<number> =>
  ((await core.call('tickets/list', {})) as { total: number }).total;

describe('Open311 over HTTP on the hub (real core)', () => {
  open311HttpConformance(() => ({
    base: hub.url.replace(/\/$/, ''),
    apiKey: KEY,
    form: CONFORMANCE_FORM,
    ticketCount,
  }));
});

describe('Open311 over HTTP on the standalone server (real core)', () => {
  open311HttpConformance(() => ({
    base: standalone.url.replace(/\/$/, ''),
    apiKey: KEY,
    form: CONFORMANCE_FORM,
    ticketCount,
  }));

  it('sees the requests the hub created: one core behind both', async () => {
    const open = (await (
      await fetch(`${standalone.url}open311/v2/requests.json?service_code=environment.pollution.noise`)
    ).json()) as unknown[];
    expect(schemaErrors('requests', open)).toEqual([]);
    expect(open.length).toBeGreaterThan(0);
  });
});
