import { beforeEach, describe, expect, it } from 'vitest';
import { RpcError } from '@shared/contract';
import { DEFAULT_TAXONOMY, taxonomyLeaves } from '@shared/domain/taxonomy';
import { FakeHotlineCore } from '../../../tests/fixtures/open311/fake-core';
import { asXmlText, children, fields, parseXml, schemaErrors } from '../../../tests/fixtures/open311/schemas';
import {
  DEFAULT_JURISDICTION,
  Open311Api,
  maskPhones,
  parseAttributes,
  type Open311Reply,
} from './open311-api';

const KEY = 'secret-key-1';
const NOISE = 'environment.pollution.noise';
const leaves = taxonomyLeaves(DEFAULT_TAXONOMY);
const noiseLeaf = leaves.find((l) => l.id === NOISE)!;

let core: FakeHotlineCore;
let api: Open311Api;

function get(path: string, query = ''): Promise<Open311Reply> {
  return api.handle({
    method: 'GET',
    path,
    query: new URLSearchParams(query),
    form: new URLSearchParams(),
    origin: 'http://hub.test:8080',
  });
}

function post(form: Record<string, string>, path = '/open311/v2/requests.json'): Promise<Open311Reply> {
  return api.handle({
    method: 'POST',
    path,
    query: new URLSearchParams(),
    form: new URLSearchParams(form),
    origin: 'http://hub.test:8080',
  });
}

function json<T = Record<string, unknown>[]>(reply: Open311Reply): T {
  expect(reply.format).toBe('json');
  return JSON.parse(reply.body) as T;
}

/** An error answer: the status, and the spec's `[{code, description}]` body. */
function expectError(reply: Open311Reply, status: number, pattern: RegExp): void {
  expect(reply.status).toBe(status);
  const body = json<{ code: number; description: string }[]>(reply);
  expect(body.length).toBeGreaterThan(0);
  for (const e of body) {
    expect(typeof e.code).toBe('number');
    expect(typeof e.description).toBe('string');
  }
  expect(body.map((e) => e.description).join(' | ')).toMatch(pattern);
}

const VALID = {
  api_key: KEY,
  service_code: NOISE,
  lat: '31.2304',
  long: '121.4737',
  description: '楼下酒吧每天夜里两点还在放音乐，吵得睡不着。我的电话13812345678',
  first_name: '小明',
  last_name: '王',
  phone: '13812345678',
  email: 'wang@example.com',
  'attribute[detail]': '持续一个月了',
  'attribute[reply_required]': 'yes',
};

beforeEach(() => {
  core = new FakeHotlineCore();
  api = new Open311Api(core, { apiKey: KEY, now: () => core.now });
});

describe('services', () => {
  it('lists every taxonomy leaf, valid against services.json, grouped by level 1', async () => {
    const reply = await get('/open311/v2/services.json');
    expect(reply.status).toBe(200);
    const body = json(reply);
    expect(schemaErrors('services', body)).toEqual([]);
    expect(body.map((s) => s['service_code'])).toEqual(leaves.map((l) => l.id));
    const noise = body.find((s) => s['service_code'] === NOISE)!;
    expect(noise).toMatchObject({ group: noiseLeaf.names[0], type: 'realtime', metadata: true });
    expect(noise['service_name']).toContain(noiseLeaf.names[2]);
  });

  it('answers the same services in XML', async () => {
    const [jsonReply, xmlReply] = [
      await get('/open311/v2/services.json'),
      await get('/open311/v2/services.xml'),
    ];
    expect(xmlReply.format).toBe('xml');
    expect(xmlReply.body.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    const root = parseXml(xmlReply.body);
    expect(root.tagName).toBe('services');
    const items = children(root, 'service').map(fields);
    expect(items).toEqual(json(jsonReply).map(asXmlText));
  });

  it('gives a service definition with its attributes, valid against service-definition.json', async () => {
    const reply = await get(`/open311/v2/services/${NOISE}.json`);
    expect(reply.status).toBe(200);
    const def = json<{ service_code: string; attributes: Record<string, unknown>[] }>(reply);
    expect(schemaErrors('service-definition', def)).toEqual([]);
    expect(def.service_code).toBe(NOISE);
    expect(def.attributes.map((a) => a['code'])).toEqual(['detail', 'reply_required']);
    expect(def.attributes[1]!['values']).toEqual([
      { key: 'yes', name: expect.any(String) },
      { key: 'no', name: expect.any(String) },
    ]);

    const root = parseXml((await get(`/open311/v2/services/${NOISE}.xml`)).body);
    expect(root.tagName).toBe('service_definition');
    expect(fields(root)).toEqual({ service_code: NOISE });
    const attrs = children(children(root, 'attributes')[0]!, 'attribute');
    expect(attrs.map(fields)).toEqual(def.attributes.map(asXmlText));
    const values = children(children(attrs[1]!, 'values')[0]!, 'value').map(fields);
    expect(values).toEqual(def.attributes[1]!['values']);
  });

  it('answers 404 for an unknown service code, in JSON and XML', async () => {
    expectError(
      await get('/open311/v2/services/no.such.leaf.json'),
      404,
      /service_code no\.such\.leaf was not found/,
    );
    const xml = await get('/open311/v2/services/no.such.leaf.xml');
    expect(xml.status).toBe(404);
    const root = parseXml(xml.body);
    expect(root.tagName).toBe('errors');
    expect(fields(children(root, 'error')[0]!)).toEqual({
      code: '404',
      description: expect.stringMatching(/not found/),
    });
  });
});

describe('jurisdiction_id', () => {
  it('accepts this endpoint’s jurisdiction or none, and 404s another', async () => {
    expect((await get('/open311/v2/services.json', `jurisdiction_id=${DEFAULT_JURISDICTION}`)).status).toBe(
      200,
    );
    expect((await get('/open311/v2/services.json', 'jurisdiction_id=')).status).toBe(200);
    expectError(
      await get('/open311/v2/services.json', 'jurisdiction_id=sfgov.org'),
      404,
      /jurisdiction_id sfgov\.org/,
    );
    expectError(await post({ ...VALID, jurisdiction_id: 'sfgov.org' }), 404, /jurisdiction_id/);
    expect(core.submits).toBe(0);
  });
});

describe('POST requests', () => {
  it('creates a citizen request through hotline/submit and answers its Open311 id', async () => {
    const reply = await post(VALID);
    expect(reply.status).toBe(200);
    const body = json(reply);
    expect(body).toHaveLength(1);
    const id = body[0]!['service_request_id'] as string;
    expect(id).toMatch(/^o311-[0-9a-f]{20}$/);
    expect(body[0]).not.toHaveProperty('token');
    expect(body[0]!['service_notice']).toBe(`Watchfloor ticket ${core.tickets[0]!.number}`);

    const submit = core.calls.find((c) => c.method === 'hotline/submit')!.params as Record<string, unknown>;
    expect(submit).toMatchObject({
      channel: 'open311',
      externalId: id,
      category: noiseLeaf.path,
      place: { lng: 121.4737, lat: 31.2304, crs: 'wgs84' },
      caller: { name: '小明 王', phone: '13812345678' },
    });
    expect(submit['text']).toContain(VALID.description);
    expect(submit['text']).toContain('补充说明: 持续一个月了');
    expect(submit['text']).toContain('需要回复: wang@example.com');
    // The place was checked before anything was created.
    const order = core.calls.map((c) => c.method);
    expect(order.indexOf('hotline/route')).toBeLessThan(order.indexOf('hotline/submit'));
  });

  it('is idempotent: the same POST again answers the same id and creates nothing new', async () => {
    const first = json(await post(VALID))[0]!['service_request_id'];
    const second = json(await post(VALID))[0]!['service_request_id'];
    const [third] = await Promise.all([post(VALID), post(VALID)]);
    expect(second).toBe(first);
    expect(json(third!)[0]!['service_request_id']).toBe(first);
    expect(core.tickets).toHaveLength(1);
    expect(core.submits).toBe(1);
    const other = json(await post({ ...VALID, description: '另一处噪音' }))[0]!['service_request_id'];
    expect(other).not.toBe(first);
    expect(core.tickets).toHaveLength(2);
  });

  it('answers in XML per the spec example', async () => {
    const reply = await post(VALID, '/open311/v2/requests.xml');
    expect(reply.status).toBe(200);
    const root = parseXml(reply.body);
    expect(root.tagName).toBe('service_requests');
    const req = children(root, 'request');
    expect(req).toHaveLength(1);
    expect(fields(req[0]!)).toEqual({
      service_request_id: expect.stringMatching(/^o311-/),
      service_notice: `Watchfloor ticket ${core.tickets[0]!.number}`,
      account_id: '',
    });
  });

  it('accepts an address_string (or address_id) instead of lat/long', async () => {
    const { lat: _lat, long: _long, ...rest } = VALID;
    expect((await post({ ...rest, address_string: '人民路1号' })).status).toBe(200);
    expect((await post({ ...rest, description: '别处', address_id: '人民路1号' })).status).toBe(200);
    expect(core.tickets.map((t) => t.location?.address)).toEqual(['人民路1号', '人民路1号']);
  });

  it('without a configured key refuses POST with a 403 that says how to set one', async () => {
    api = new Open311Api(core, { apiKey: null });
    expectError(await post(VALID), 403, /WATCHFLOOR_OPEN311_API_KEY/);
    expect((await get('/open311/v2/services.json')).status).toBe(200);
    expect(core.submits).toBe(0);
  });

  it('refuses a missing or wrong api_key with 403', async () => {
    const { api_key: _key, ...noKey } = VALID;
    expectError(await post(noKey), 403, /api_key is missing/);
    expectError(await post({ ...VALID, api_key: 'wrong' }), 403, /Invalid api_key/);
    expect(core.calls).toEqual([]);
  });

  const BAD: [string, Record<string, string | undefined>, number, RegExp][] = [
    ['no service_code', { service_code: undefined }, 400, /service_code was not provided/],
    ['an unknown service_code', { service_code: 'nope' }, 404, /service_code nope was not found/],
    [
      'no location',
      { lat: undefined, long: undefined },
      400,
      /location is required: send lat and long, or address_string, or address_id/,
    ],
    ['lat without long', { long: undefined }, 400, /lat and long must be sent together/],
    ['a latitude that is no number', { lat: 'north' }, 400, /lat north is not a latitude/],
    [
      'no description',
      { description: undefined, 'attribute[detail]': undefined },
      400,
      /description was not provided/,
    ],
    ['a too long description', { description: 'x'.repeat(4001) }, 400, /longer than 4000/],
    ['an unknown attribute', { 'attribute[colour]': 'red' }, 400, /attribute\[colour\] is not an attribute/],
    [
      'a reply_required that is not yes/no',
      { 'attribute[reply_required]': 'maybe' },
      400,
      /must be yes or no/,
    ],
    ['a bad e-mail', { email: 'not-an-address' }, 400, /email is not an e-mail address/],
    ['a bad phone', { phone: 'call me' }, 400, /phone is not a phone number/],
    ['a bad media_url', { media_url: 'javascript:alert(1)' }, 400, /media_url is not an http/],
  ];
  it.each(BAD)('refuses %s and creates nothing', async (_name, change, status, pattern) => {
    const form: Record<string, string> = { ...VALID };
    for (const [k, v] of Object.entries(change)) {
      if (v === undefined) delete form[k];
      else form[k] = v;
    }
    expectError(await post(form), status, pattern);
    expect(core.submits).toBe(0);
    expect(core.tickets).toEqual([]);
  });

  it('reports every wrong field at once', async () => {
    const reply = await post({ api_key: KEY, lat: '31' });
    expect(reply.status).toBe(400);
    const body = json<{ description: string }[]>(reply);
    expect(body.map((e) => e.description)).toEqual([
      'service_code was not provided.',
      'lat and long must be sent together.',
      expect.stringMatching(/description was not provided/),
    ]);
  });

  it('refuses a location outside the city or an address it cannot place, creating nothing', async () => {
    expectError(await post({ ...VALID, lat: '39.9', long: '116.4' }), 400, /lat\/long is outside the city/);
    expectError(
      await post({ ...VALID, long: '121.995' }),
      400,
      /could not be placed on the city's grid: no grid cell/,
    );
    const { lat: _lat, long: _long, ...rest } = VALID;
    expectError(
      await post({ ...rest, address_string: '火星路9号' }),
      400,
      /address_string could not be located/,
    );
    expectError(
      await post({ ...rest, address_string: '中山路' }),
      400,
      /matches several places \(中山路\(东区\)/,
    );
    expect(core.submits).toBe(0);
    expect(core.tickets).toEqual([]);
  });

  it('turns a core refusal into a 400 in the spec format', async () => {
    const original = core.call.bind(core);
    core.call = async (method, params) => {
      if (method === 'hotline/submit')
        throw new RpcError('INVALID_ARGUMENT', 'text: too long for the classifier');
      return original(method, params);
    };
    expectError(await post(VALID), 400, /too long for the classifier/);
    expect(core.tickets).toEqual([]);
  });
});

describe('GET requests', () => {
  async function create(change: Record<string, string> = {}, at?: string): Promise<string> {
    if (at) core.now = Date.parse(at);
    const reply = await post({ ...VALID, ...change });
    expect(reply.status).toBe(200);
    return json(reply)[0]!['service_request_id'] as string;
  }

  it('gives one request, valid against requests.json, with phone numbers masked', async () => {
    const id = await create();
    const reply = await get(`/open311/v2/requests/${id}.json`);
    expect(reply.status).toBe(200);
    const body = json(reply);
    expect(schemaErrors('requests', body)).toEqual([]);
    expect(body).toHaveLength(1);
    const t = core.tickets[0]!;
    expect(body[0]).toMatchObject({
      service_request_id: id,
      status: 'open',
      service_code: NOISE,
      requested_datetime: t.createdAt,
      lat: 31.2304,
      long: 121.4737,
      agency_responsible: 'dept-env',
    });
    expect(body[0]!['service_name']).toContain('噪音');
    expect(reply.body).not.toContain('13812345678');
    expect(body[0]!['description']).toContain('138****5678');

    const xml = parseXml((await get(`/open311/v2/requests/${id}.xml`)).body);
    expect(xml.tagName).toBe('service_requests');
    expect(children(xml, 'request').map(fields)).toEqual(body.map(asXmlText));
  });

  it('404s an unknown request id and an unknown token', async () => {
    expectError(
      await get('/open311/v2/requests/o311-00000000000000000000.json'),
      404,
      /service_request_id .* was not found/,
    );
    expectError(await get('/open311/v2/requests/12345.json'), 404, /was not found/);
    expectError(
      await get('/open311/v2/tokens/o311-00000000000000000000.json'),
      404,
      /token .* was not found/,
    );
  });

  it('answers a token with its request id', async () => {
    const id = await create();
    const body = json(await get(`/open311/v2/tokens/${id}.json`));
    expect(body).toEqual([{ service_request_id: id, token: id }]);
    const xml = parseXml((await get(`/open311/v2/tokens/${id}.xml`)).body);
    expect(children(xml, 'request').map(fields)).toEqual([{ service_request_id: id, token: id }]);
  });

  it('lists requests with the service_request_id, service_code, status and date filters', async () => {
    const a = await create({ description: '噪音一' }, '2026-11-01T08:00:00Z');
    const b = await create({ description: '路灯坏了', service_code: leaves[0]!.id }, '2026-11-10T08:00:00Z');
    const c = await create({ description: '噪音二' }, '2026-11-20T08:00:00Z');
    core.setStatus(core.tickets[2]!.id, 'replied');
    core.now = Date.parse('2026-11-21T00:00:00Z');
    const ids = async (query: string): Promise<unknown[]> => {
      const reply = await get('/open311/v2/requests.json', query);
      expect(reply.status).toBe(200);
      const body = json(reply);
      expect(schemaErrors('requests', body)).toEqual([]);
      return body.map((r) => r['service_request_id']);
    };
    expect(await ids('')).toEqual([c, b, a]);
    expect(await ids(`service_code=${NOISE}`)).toEqual([c, a]);
    expect(await ids(`service_code=${leaves[0]!.id},${NOISE}`)).toEqual([c, b, a]);
    expect(await ids('status=open')).toEqual([b, a]);
    expect(await ids('status=closed')).toEqual([c]);
    expect(await ids('status=open,closed')).toEqual([c, b, a]);
    expect(await ids('start_date=2026-11-05T00:00:00Z')).toEqual([c, b]);
    expect(await ids('start_date=2026-11-05T00:00:00%2B08:00&end_date=2026-11-15T00:00:00Z')).toEqual([b]);
    expect(await ids('end_date=2026-11-05T00:00:00Z')).toEqual([a]);
    // service_request_id overrides every other argument; unknown ids are left out.
    expect(await ids(`service_request_id=${a},${c},o311-ffffffffffffffffffff&status=open`)).toEqual([a, c]);

    const closed = json(await get('/open311/v2/requests.json', 'status=closed'))[0]!;
    expect(closed['status']).toBe('closed');
    expect(closed['status_notes']).toBe('Replied / 已答复');
    expect(closed['updated_datetime']).toBe('2026-11-20T08:00:00.000Z');
  });

  it('defaults to the most recent 90 days', async () => {
    const old = await create({ description: '很久以前' }, '2026-06-01T00:00:00Z');
    const recent = await create({ description: '最近' }, '2026-11-01T00:00:00Z');
    core.now = Date.parse('2026-11-21T00:00:00Z');
    const body = json(await get('/open311/v2/requests.json'));
    expect(body.map((r) => r['service_request_id'])).toEqual([recent]);
    expect(old).not.toBe(recent);
  });

  it('lists in XML with the same fields', async () => {
    await create({ description: '噪音一' });
    await create({ description: '噪音二' });
    const jsonBody = json(await get('/open311/v2/requests.json'));
    const root = parseXml((await get('/open311/v2/requests.xml')).body);
    expect(children(root, 'request').map(fields)).toEqual(jsonBody.map(asXmlText));
  });

  it('refuses bad filters with 400', async () => {
    expectError(
      await get('/open311/v2/requests.json', 'status=pending'),
      400,
      /status pending is not open or closed/,
    );
    expectError(
      await get('/open311/v2/requests.json', 'start_date=yesterday'),
      400,
      /start_date yesterday is not a w3/,
    );
    expectError(
      await get('/open311/v2/requests.json', 'end_date=2026-11-01'),
      400,
      /end_date .* is not a w3/,
    );
    expectError(
      await get('/open311/v2/requests.json', 'start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z'),
      400,
      /more than 90 days/,
    );
    expectError(
      await get('/open311/v2/requests.json', 'start_date=2026-06-01T00:00:00Z&end_date=2026-05-01T00:00:00Z'),
      400,
      /start_date is after end_date/,
    );
  });
});

describe('discovery and routing', () => {
  it('serves the discovery file in JSON and XML', async () => {
    const body = json<Record<string, unknown>>(await get('/open311/discovery.json'));
    expect(body).toMatchObject({
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: 'http://hub.test:8080/open311/v2',
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    });
    const root = parseXml((await get('/open311/discovery.xml')).body);
    expect(root.tagName).toBe('discovery');
    const endpoint = children(children(root, 'endpoints')[0]!, 'endpoint')[0]!;
    expect(fields(endpoint)['url']).toBe('http://hub.test:8080/open311/v2');
    expect(children(children(endpoint, 'formats')[0]!, 'format').map((f) => f.textContent)).toEqual([
      'text/xml',
      'application/json',
    ]);
  });

  it('answers unknown resources, missing formats and wrong methods in the spec format', async () => {
    expectError(await get('/open311/v2/nothing.json'), 404, /No Open311 resource/);
    const noFormat = await get('/open311/v2/services');
    expect(noFormat.status).toBe(400);
    expect(parseXml(noFormat.body).tagName).toBe('errors');
    expectError(await post(VALID, '/open311/v2/services.json'), 405, /POST is not allowed/);
  });
});

describe('helpers', () => {
  it('masks every phone-like run of digits', () => {
    expect(maskPhones('手机13812345678，座机5551234，房间12，2026年')).toBe(
      '手机138****5678，座机***1234，房间12，2026年',
    );
    expect(maskPhones('+8613812345678')).toBe('+861******5678');
  });

  it('reads attribute[code] and attribute[code][] values', () => {
    const a = parseAttributes(
      new URLSearchParams('attribute[detail]=x&attribute[multi][]=1&attribute[multi][]=2&other=3'),
    );
    expect([...a.entries()]).toEqual([
      ['detail', ['x']],
      ['multi', ['1', '2']],
    ]);
  });
});
