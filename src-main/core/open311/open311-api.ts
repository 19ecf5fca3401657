import { createHash, timingSafeEqual } from 'node:crypto';
import {
  isRpcError,
  type ConfigDocument,
  type DispatchState,
  type MethodParams,
  type MethodResult,
  type PlaceInput,
  type StatusCategory,
  type WorkflowState,
  type Ticket,
  type TicketListResult,
} from '@shared/contract';
import { findState, isDoneCategory, statusCategories, workflowOfType } from '@shared/domain/workflow';
import { DEFAULT_TAXONOMY, type Taxonomy } from '@shared/domain/taxonomy';
import type { Logger } from '../ports';
import {
  DETAIL_ATTRIBUTE,
  MAX_DETAIL_LENGTH,
  REPLY_ATTRIBUTE,
  SERVICE_ATTRIBUTES,
  ServiceCatalogue,
} from './services';
import { toXml, type XmlValue } from './xml';

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) over the core's contract:
 * services are the complaint taxonomy's leaves, a POSTed request becomes a citizen ticket through
 * `hotline/submit` (the same classifier → grid → matrix path as a phone call), and the request keeps
 * its Open311 id as the submit's `externalId`.
 *
 * The Open311 id is derived from the request's content, so a client that repeats a POST (a retry
 * after a timeout) gets the first request back instead of a duplicate. Looking a request up by that id
 * uses the ticket's business keys (`tickets/list` with a business-key filter): the core keeps the
 * submit's `externalId` among them.
 */

export const OPEN311_PREFIX = '/open311';
export const OPEN311_V2 = `${OPEN311_PREFIX}/v2`;
export const DISCOVERY_PATH = `${OPEN311_PREFIX}/discovery`;
/** Every Open311 id starts with it, which is also how the API finds its own requests among the tickets. */
export const OPEN311_ID_PREFIX = 'o311-';
export const SPEC_URL = 'http://wiki.open311.org/GeoReport_v2';
export const DEFAULT_JURISDICTION = 'watchfloor.local';
/** Spec: "Default query limit is a span of 90 days or first 1000 requests returned". */
export const MAX_RESULTS = 1000;
export const MAX_SPAN_DAYS = 90;
const DAY_MS = 86_400_000;
const MAX_DESCRIPTION = 4000;
const MAX_IDS = 100;
/** When this API's shape changed last (the discovery file's `changeset`). */
const CHANGESET = '2026-11-25T00:00:00Z';

export type Open311Format = 'json' | 'xml';

export interface Open311Options {
  /**
   * The key clients send as `api_key` to POST requests. Null: POST is refused with a 403 that says how
   * to set one (reading stays open, as the spec wants).
   */
  apiKey: string | null;
  /** The one jurisdiction this endpoint serves; a different `jurisdiction_id` is a 404. */
  jurisdictionId?: string;
  taxonomy?: Taxonomy;
  /** Shown in the discovery file. */
  contact?: string;
  logger?: Logger;
  now?: () => number;
}

/** The part of the core the API uses. */
export interface Open311Core {
  call(method: string, params: unknown): Promise<unknown>;
}

export interface Open311Request {
  method: string;
  /** The URL path, starting with `/open311/`. */
  path: string;
  query: URLSearchParams;
  /** The form body of a POST (empty for other methods). */
  form: URLSearchParams;
  /** `http://host:port` as the client reached us, for the discovery file's endpoint URL. */
  origin: string;
}

export interface Open311Reply {
  status: number;
  format: Open311Format;
  body: string;
  headers?: Record<string, string>;
}

export interface Open311ErrorItem {
  code: number;
  description: string;
}

/** One or more spec errors with the HTTP status they are answered with. */
export class Open311Error extends Error {
  constructor(
    readonly status: number,
    readonly errors: Open311ErrorItem[],
  ) {
    super(errors.map((e) => e.description).join('; '));
  }

  static one(status: number, description: string): Open311Error {
    return new Open311Error(status, [{ code: status, description }]);
  }
}

export interface Open311RequestRecord {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string | null;
  service_code: string;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string | null;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

/**
 * Phone numbers in free text: a run of 11–15 digits keeps its first 3 and last 4 (138****5678), a run
 * of 7–10 digits only its last 4.
 */
export function maskPhones(text: string): string {
  return text.replace(/(?<!\d)\d{7,15}(?!\d)/g, (run) =>
    run.length >= 11
      ? `${run.slice(0, 3)}${'*'.repeat(run.length - 7)}${run.slice(-4)}`
      : `${'*'.repeat(run.length - 4)}${run.slice(-4)}`,
  );
}

/** W3C date-time with a zone (the spec's format); null when it is not one. */
export function parseW3cDate(raw: string): number | null {
  const m = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(raw);
  if (!m) return null;
  const t = Date.parse(raw);
  return Number.isFinite(t) ? t : null;
}

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** `{format}` from the last path segment: `requests.json` → [`requests`, `json`]. */
function splitFormat(segment: string): [string, Open311Format | null] {
  if (segment.endsWith('.json')) return [segment.slice(0, -5), 'json'];
  if (segment.endsWith('.xml')) return [segment.slice(0, -4), 'xml'];
  return [segment, null];
}

/** "Optional" per spec: an empty parameter is the same as an absent one. */
function param(params: URLSearchParams, name: string): string | undefined {
  const v = params.get(name)?.trim();
  return v ? v : undefined;
}

/** `attribute[code]=v` and `attribute[code][]=v` (multivaluelist) into code → values. */
export function parseAttributes(form: URLSearchParams): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [key, value] of form) {
    const m = /^attribute\[([^\]]*)\](\[\])?$/.exec(key);
    if (!m) continue;
    const code = m[1]!;
    const list = out.get(code) ?? [];
    if (value.trim() !== '') list.push(value.trim());
    out.set(code, list);
  }
  return out;
}

function replyOf(format: Open311Format, root: string, value: XmlValue): Open311Reply {
  return {
    status: 200,
    format,
    body: format === 'json' ? JSON.stringify(value) : toXml(root, value),
  };
}

/** The spec's error answer (`[{code, description}]` or `<errors>`), with the error's HTTP status. */
export function open311ErrorReply(format: Open311Format, err: Open311Error): Open311Reply {
  return { ...replyOf(format, 'errors', err.errors as unknown as XmlValue), status: err.status };
}

export class Open311Api {
  private readonly catalogue: ServiceCatalogue;
  private readonly jurisdiction: string;
  private readonly now: () => number;
  private readonly logger: Logger | undefined;
  /** POSTs being submitted, by Open311 id: a concurrent repeat waits for the first. */
  private readonly inFlight = new Map<string, Promise<Open311Reply>>();

  constructor(
    private readonly core: Open311Core,
    private readonly options: Open311Options,
  ) {
    this.catalogue = new ServiceCatalogue(options.taxonomy ?? DEFAULT_TAXONOMY);
    this.jurisdiction = options.jurisdictionId ?? DEFAULT_JURISDICTION;
    this.now = options.now ?? Date.now;
    this.logger = options.logger;
  }

  async handle(req: Open311Request): Promise<Open311Reply> {
    const segments = req.path.split('/').filter((s) => s !== '');
    const last = segments.at(-1) ?? '';
    const [name, format] = splitFormat(last);
    const fmt: Open311Format = format ?? 'xml';
    try {
      if (!format)
        throw Open311Error.one(
          400,
          `Add the format to the resource: ${req.path.replace(/\/$/, '')}.xml or .json (for example ${OPEN311_V2}/services.json).`,
        );
      const route = [...segments.slice(0, -1), name];
      if (route.length === 2 && route[1] === 'discovery') {
        this.allow(req, ['GET']);
        return this.reply(fmt, 'discovery', this.discovery(req.origin));
      }
      if (route[1] !== 'v2' || route.length < 3 || route.length > 4)
        throw Open311Error.one(404, `No Open311 resource at ${req.path}; the API is under ${OPEN311_V2}/.`);
      const [resource, id] = [route[2]!, route[3]];
      const params = req.method === 'POST' ? mergeParams(req.query, req.form) : req.query;
      if (resource === 'services' && id === undefined) {
        this.allow(req, ['GET']);
        this.checkJurisdiction(params);
        return this.reply(fmt, 'services', this.catalogue.list() as unknown as XmlValue);
      }
      if (resource === 'services' && id !== undefined) {
        this.allow(req, ['GET']);
        this.checkJurisdiction(params);
        const def = this.catalogue.definition(id);
        if (!def)
          throw Open311Error.one(
            404,
            `service_code ${id} was not found; GET ${OPEN311_V2}/services lists them.`,
          );
        return this.reply(fmt, 'service_definition', def as unknown as XmlValue);
      }
      if (resource === 'requests' && id === undefined) {
        this.allow(req, ['GET', 'POST']);
        if (req.method === 'POST') return await this.post(params, fmt);
        this.checkJurisdiction(params);
        return this.reply(fmt, 'service_requests', (await this.list(params)) as unknown as XmlValue);
      }
      if (resource === 'requests' && id !== undefined) {
        this.allow(req, ['GET']);
        this.checkJurisdiction(params);
        const found = await this.findTicket(id);
        if (!found) throw Open311Error.one(404, `service_request_id ${id} was not found.`);
        const ctx = await this.context();
        return this.reply(fmt, 'service_requests', [
          await this.record(found, id, ctx),
        ] as unknown as XmlValue);
      }
      if (resource === 'tokens' && id !== undefined) {
        this.allow(req, ['GET']);
        this.checkJurisdiction(params);
        // Every service is realtime, so the only tokens are the request ids themselves.
        const found = await this.findTicket(id);
        if (!found) throw Open311Error.one(404, `token ${id} was not found.`);
        return this.reply(fmt, 'service_requests', [{ service_request_id: id, token: id }]);
      }
      throw Open311Error.one(404, `No Open311 resource at ${req.path}.`);
    } catch (err) {
      if (err instanceof Open311Error) return this.errorReply(fmt, err);
      this.logger?.error('open311: request failed', { path: req.path, error: String(err) });
      return this.errorReply(
        fmt,
        Open311Error.one(
          400,
          'The Open311 service could not complete the request; please tell the hub operator.',
        ),
      );
    }
  }

  errorReply(format: Open311Format, err: Open311Error): Open311Reply {
    return open311ErrorReply(format, err);
  }

  private reply(format: Open311Format, root: string, value: XmlValue): Open311Reply {
    return replyOf(format, root, value);
  }

  private allow(req: Open311Request, methods: string[]): void {
    if (!methods.includes(req.method)) {
      const err = Open311Error.one(405, `${req.method} is not allowed here; use ${methods.join(' or ')}.`);
      throw err;
    }
  }

  private checkJurisdiction(params: URLSearchParams): void {
    const j = param(params, 'jurisdiction_id');
    if (j !== undefined && j !== this.jurisdiction)
      throw Open311Error.one(
        404,
        `jurisdiction_id ${j} was not found; this endpoint serves ${this.jurisdiction}.`,
      );
  }

  private discovery(origin: string): XmlValue {
    return {
      changeset: CHANGESET,
      contact: this.options.contact ?? 'The operator of this Watchfloor hub.',
      key_service: 'Ask the hub operator for an API key (they set it with WATCHFLOOR_OPEN311_API_KEY).',
      endpoints: [
        {
          specification: SPEC_URL,
          url: `${origin}${OPEN311_V2}`,
          changeset: CHANGESET,
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    };
  }

  // ---- POST requests ------------------------------------------------------------------------

  private async post(params: URLSearchParams, format: Open311Format): Promise<Open311Reply> {
    this.checkKey(params);
    this.checkJurisdiction(params);
    const input = this.validatePost(params);
    const running = this.inFlight.get(input.externalId);
    if (running) return running;
    const work = this.create(input, format);
    this.inFlight.set(input.externalId, work);
    try {
      return await work;
    } finally {
      this.inFlight.delete(input.externalId);
    }
  }

  private checkKey(params: URLSearchParams): void {
    const expected = this.options.apiKey;
    if (!expected)
      throw Open311Error.one(
        403,
        'Creating requests is disabled: this hub has no Open311 API key. The operator sets one with the ' +
          'environment variable WATCHFLOOR_OPEN311_API_KEY=<secret> and restarts the hub; clients then send it as api_key.',
      );
    const given = param(params, 'api_key');
    if (!given) throw Open311Error.one(403, 'api_key is missing -- can not proceed with create_request.');
    if (!sameSecret(given, expected))
      throw Open311Error.one(403, "Invalid api_key received -- can't proceed with create_request.");
  }

  private validatePost(params: URLSearchParams): ValidPost {
    const errors: Open311ErrorItem[] = [];
    let status = 400;
    const bad = (description: string, code = 400): void => {
      errors.push({ code, description });
    };
    const code = param(params, 'service_code');
    const leaf = code ? this.catalogue.leaf(code) : undefined;
    if (!code) bad('service_code was not provided.');
    else if (!leaf) {
      bad(`service_code ${code} was not found; GET ${OPEN311_V2}/services lists them.`, 404);
      status = 404;
    }

    const latRaw = param(params, 'lat');
    const longRaw = param(params, 'long');
    const addressString = param(params, 'address_string');
    const addressId = param(params, 'address_id');
    let place: PlaceInput | null = null;
    let coordinates: { lat: number; long: number } | null = null;
    if (latRaw !== undefined || longRaw !== undefined) {
      const lat = Number(latRaw);
      const long = Number(longRaw);
      if (latRaw === undefined || longRaw === undefined) bad('lat and long must be sent together.');
      else if (!Number.isFinite(lat) || lat < -90 || lat > 90)
        bad(`lat ${latRaw} is not a latitude (WGS84 degrees).`);
      else if (!Number.isFinite(long) || long < -180 || long > 180)
        bad(`long ${longRaw} is not a longitude (WGS84 degrees).`);
      else {
        coordinates = { lat, long };
        place = { lng: long, lat, crs: 'wgs84' };
      }
    }
    const address = addressString ?? addressId;
    if (address !== undefined && address.length > 300) bad('address_string is longer than 300 characters.');
    if (!place && latRaw === undefined && longRaw === undefined) {
      if (address !== undefined && address.length <= 300) place = { address };
      else if (address === undefined)
        bad('A location is required: send lat and long, or address_string, or address_id.');
    }

    const attributes = parseAttributes(params);
    const known = new Set(SERVICE_ATTRIBUTES.map((a) => a.code));
    for (const key of attributes.keys())
      if (!known.has(key))
        bad(`attribute[${key}] is not an attribute of this service; known: ${[...known].join(', ')}.`);
    for (const a of SERVICE_ATTRIBUTES)
      if (a.required && (attributes.get(a.code) ?? []).length === 0) bad(`attribute[${a.code}] is required.`);
    const detailValues = attributes.get(DETAIL_ATTRIBUTE) ?? [];
    if (detailValues.length > 1) bad(`attribute[${DETAIL_ATTRIBUTE}] takes one value.`);
    const detail = detailValues[0];
    if (detail !== undefined && detail.length > MAX_DETAIL_LENGTH)
      bad(`attribute[${DETAIL_ATTRIBUTE}] is longer than ${MAX_DETAIL_LENGTH} characters.`);
    const replyValues = attributes.get(REPLY_ATTRIBUTE) ?? [];
    if (replyValues.length > 1) bad(`attribute[${REPLY_ATTRIBUTE}] takes one value.`);
    const reply = replyValues[0];
    if (reply !== undefined && reply !== 'yes' && reply !== 'no')
      bad(`attribute[${REPLY_ATTRIBUTE}] must be yes or no, not ${reply.slice(0, 20)}.`);

    const description = param(params, 'description');
    if (description !== undefined && description.length > MAX_DESCRIPTION)
      bad(`description is longer than ${MAX_DESCRIPTION} characters.`);
    if (description === undefined && detail === undefined)
      bad('description was not provided: say what the problem is (an agent and the classifier read it).');

    const email = param(params, 'email');
    if (email !== undefined && (email.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(email)))
      bad('email is not an e-mail address.');
    const phone = param(params, 'phone');
    if (phone !== undefined && (phone.length > 30 || !/^[+\d][\d\s()-]*$/.test(phone)))
      bad('phone is not a phone number (digits, spaces, + - ( ) and at most 30 characters).');
    const firstName = param(params, 'first_name');
    const lastName = param(params, 'last_name');
    const fullName = [firstName, lastName].filter((s) => s !== undefined).join(' ');
    if (fullName.length > 50) bad('first_name and last_name together are longer than 50 characters.');
    const mediaUrl = param(params, 'media_url');
    if (mediaUrl !== undefined && (mediaUrl.length > 500 || !/^https?:\/\/\S+$/.test(mediaUrl)))
      bad('media_url is not an http(s) URL.');
    const accountId = param(params, 'account_id');
    const deviceId = param(params, 'device_id');

    if (errors.length > 0) throw new Open311Error(status, errors);

    const lines = [description ?? detail!];
    if (detail !== undefined && description !== undefined) lines.push(`补充说明: ${detail}`);
    if (reply === 'yes') lines.push(`需要回复${email ? `: ${email}` : ''}`);
    if (mediaUrl) lines.push(`media: ${mediaUrl}`);
    const text = lines.join('\n');
    const externalId = `${OPEN311_ID_PREFIX}${createHash('sha256')
      .update(
        JSON.stringify([
          code,
          coordinates,
          addressString ?? null,
          addressId ?? null,
          text,
          email ?? null,
          phone ?? null,
          fullName,
          accountId ?? null,
          deviceId ?? null,
        ]),
      )
      .digest('hex')
      .slice(0, 20)}`;
    return {
      leafPath: leaf!.path,
      place: place!,
      byCoordinates: coordinates !== null,
      text,
      caller: { name: fullName === '' ? null : fullName, phone: phone ?? null },
      externalId,
      accountId: accountId ?? null,
    };
  }

  private async create(input: ValidPost, format: Open311Format): Promise<Open311Reply> {
    const answer = (ticket: Ticket | null): Open311Reply =>
      this.reply(format, 'service_requests', [
        {
          service_request_id: input.externalId,
          service_notice: ticket ? `Watchfloor ticket ${ticket.number}` : null,
          account_id: input.accountId,
        },
      ]);
    const existing = await this.findTicket(input.externalId);
    if (existing) return answer(existing);

    // Check the place first, so a location outside the city creates nothing.
    const route = await this.call('hotline/route', { place: input.place, category: input.leafPath });
    if (!route.ok) {
      const why = route.reason?.message ?? 'it is not inside the city';
      if (input.byCoordinates)
        throw Open311Error.one(
          400,
          route.reason?.code === 'outside-city' || route.reason === null
            ? `lat/long is outside the city: ${why}.`
            : `lat/long could not be placed on the city's grid: ${why}.`,
        );
      if (route.candidates.length > 1)
        throw Open311Error.one(
          400,
          `address_string matches several places (${route.candidates
            .slice(0, 5)
            .map((c) => c.name)
            .join(', ')}); send a more precise address or lat/long.`,
        );
      throw Open311Error.one(400, `address_string could not be located in the city: ${why}.`);
    }
    const submitted = await this.call('hotline/submit', {
      text: input.text,
      caller: input.caller,
      place: input.place,
      channel: 'open311',
      externalId: input.externalId,
      category: input.leafPath,
    });
    if (!Object.values(submitted.ticket.businessKeys).includes(input.externalId))
      this.logger?.warn(
        'open311: the core did not keep the externalId as a business key; look-ups will miss it',
        {
          ticket: submitted.ticket.number,
        },
      );
    return answer(submitted.ticket);
  }

  // ---- reading requests -----------------------------------------------------------------------

  private async call<
    M extends
      'hotline/route' | 'hotline/submit' | 'hotline/dispatch' | 'tickets/list' | 'tickets/get' | 'config/get',
  >(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
    try {
      return (await this.core.call(method, params)) as MethodResult<M>;
    } catch (err) {
      // The core's own words (a refused field, routing not available) are meant for the caller.
      if (isRpcError(err) && err.code !== 'INTERNAL') throw Open311Error.one(400, err.message);
      throw err;
    }
  }

  /** The ticket that keeps this Open311 id, or null. */
  private async findTicket(id: string): Promise<Ticket | null> {
    if (!id.startsWith(OPEN311_ID_PREFIX) || id.length > 100) return null;
    const page: TicketListResult = await this.call('tickets/list', {
      filter: { businessKey: { value: id } },
      limit: 10,
    });
    const hit = page.items.find((t) => Object.values(t.businessKeys).includes(id));
    return hit ? await this.call('tickets/get', { id: hit.id }) : null;
  }

  private async context(): Promise<RecordContext> {
    const config: ConfigDocument = await this.call('config/get', {});
    return { config, categories: statusCategories(config) };
  }

  private async record(ticket: Ticket, id: string, ctx: RecordContext): Promise<Open311RequestRecord> {
    let dispatch: DispatchState | null = null;
    try {
      dispatch = await this.call('hotline/dispatch', { ticketId: ticket.id });
    } catch (err) {
      this.logger?.warn('open311: no dispatch state', { ticket: ticket.number, error: String(err) });
    }
    const leaf = dispatch ? this.catalogue.leafOfPath(dispatch.chosen.category) : undefined;
    const workflow = workflowOfType(ctx.config, ticket.typeId);
    const state =
      (workflow && findState(workflow, ticket.status)) ??
      ctx.config.workflows.flatMap((w) => w.states).find((s) => s.id === ticket.status);
    const category = state?.category ?? ctx.categories.get(ticket.status);
    const closed = category !== undefined && isDoneCategory(category);
    const agencies = dispatch
      ? dispatch.owner
        ? [dispatch.owner]
        : dispatch.departments.filter((d) => d.state !== 'released').map((d) => d.departmentId)
      : [];
    return {
      service_request_id: id,
      status: closed ? 'closed' : 'open',
      status_notes: state ? stateName(state) : ticket.status,
      service_name: leaf ? this.catalogue.serviceName(leaf) : null,
      service_code: leaf?.id ?? dispatch?.chosen.category ?? 'unclassified',
      description: maskPhones(ticket.description).slice(0, MAX_DESCRIPTION),
      agency_responsible: agencies.length > 0 ? agencies.join(', ') : null,
      service_notice: `Watchfloor ticket ${ticket.number}`,
      requested_datetime: ticket.createdAt,
      updated_datetime: ticket.updatedAt,
      expected_datetime: ticket.sla.resolveDueAt,
      address: ticket.location?.address ?? null,
      address_id: null,
      zipcode: null,
      lat: ticket.location?.lat ?? null,
      long: ticket.location?.lng ?? null,
      media_url: null,
    };
  }

  private async list(params: URLSearchParams): Promise<Open311RequestRecord[]> {
    const ctx = await this.context();
    const ids = param(params, 'service_request_id');
    if (ids !== undefined) {
      // "This overrides all other arguments."
      const list = [
        ...new Set(
          ids
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== ''),
        ),
      ];
      if (list.length > MAX_IDS)
        throw Open311Error.one(400, `At most ${MAX_IDS} service_request_id at once.`);
      const out: Open311RequestRecord[] = [];
      for (const id of list) {
        const t = await this.findTicket(id);
        if (t) out.push(await this.record(t, id, ctx));
      }
      return out;
    }
    const codes = param(params, 'service_code')
      ?.split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const statuses = param(params, 'status')
      ?.split(',')
      .map((s) => s.trim().toLowerCase())
      .filter((s) => s !== '');
    for (const s of statuses ?? [])
      if (s !== 'open' && s !== 'closed') throw Open311Error.one(400, `status ${s} is not open or closed.`);
    const wantOpen = statuses?.includes('open') ?? true;
    const wantClosed = statuses?.includes('closed') ?? true;
    const { start, end } = this.range(params);

    const out: Open311RequestRecord[] = [];
    const filter = {
      businessKey: { value: OPEN311_ID_PREFIX },
      ...(wantOpen !== wantClosed && { open: wantOpen }),
    };
    for (let offset = 0; out.length < MAX_RESULTS;) {
      const page: TicketListResult = await this.call('tickets/list', {
        filter,
        sort: { field: 'createdAt', dir: 'desc' },
        offset,
        limit: 500,
      });
      let older = false;
      for (const item of page.items) {
        const created = Date.parse(item.createdAt);
        if (created > end) continue;
        if (created < start) {
          older = true;
          break;
        }
        const id = Object.values(item.businessKeys).find((v) => v.startsWith(OPEN311_ID_PREFIX));
        if (!id) continue;
        const ticket: Ticket = await this.call('tickets/get', { id: item.id });
        const rec = await this.record(ticket, id, ctx);
        if (codes && !codes.includes(rec.service_code)) continue;
        if ((rec.status === 'open' && !wantOpen) || (rec.status === 'closed' && !wantClosed)) continue;
        out.push(rec);
        if (out.length >= MAX_RESULTS) break;
      }
      offset += page.items.length;
      if (older || page.items.length === 0 || offset >= page.total) break;
    }
    return out;
  }

  private range(params: URLSearchParams): { start: number; end: number } {
    const rawStart = param(params, 'start_date');
    const rawEnd = param(params, 'end_date');
    const start = rawStart === undefined ? null : parseW3cDate(rawStart);
    const end = rawEnd === undefined ? null : parseW3cDate(rawEnd);
    const errors: Open311ErrorItem[] = [];
    if (rawStart !== undefined && start === null)
      errors.push({
        code: 400,
        description: `start_date ${rawStart} is not a w3 date-time with a zone (2010-01-01T00:00:00Z).`,
      });
    if (rawEnd !== undefined && end === null)
      errors.push({
        code: 400,
        description: `end_date ${rawEnd} is not a w3 date-time with a zone (2010-01-01T00:00:00Z).`,
      });
    if (errors.length > 0) throw new Open311Error(400, errors);
    const span = MAX_SPAN_DAYS * DAY_MS;
    const to = end ?? (start !== null ? Math.min(start + span, this.now()) : this.now());
    const from = start ?? to - span;
    if (from > to) throw Open311Error.one(400, 'start_date is after end_date.');
    if (to - from > span)
      throw Open311Error.one(400, `start_date to end_date may not span more than ${MAX_SPAN_DAYS} days.`);
    return { start: from, end: to };
  }
}

interface ValidPost {
  leafPath: string;
  place: PlaceInput;
  byCoordinates: boolean;
  text: string;
  caller: { name: string | null; phone: string | null };
  externalId: string;
  accountId: string | null;
}

interface RecordContext {
  config: ConfigDocument;
  categories: Map<string, StatusCategory>;
}

function stateName(state: WorkflowState): string {
  return `${state.label.en} / ${state.label['zh-CN']}`;
}

/** A POST's parameters: the form body, then the query string for what the body lacks. */
function mergeParams(query: URLSearchParams, form: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams(form);
  for (const [k, v] of query) if (!out.has(k)) out.append(k, v);
  return out;
}
