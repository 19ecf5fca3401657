import type { IncomingMessage, ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from '../http-headers';
import {
  DISCOVERY_PATH,
  OPEN311_V2,
  Open311Api,
  Open311Error,
  open311ErrorReply,
  type Open311Core,
  type Open311Options,
  type Open311Reply,
} from './open311-api';

/** A POST body larger than this is refused (a request is a few hundred bytes of form data). */
export const MAX_BODY_BYTES = 64 * 1024;

const CONTENT_TYPES = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
} as const;

/** The Open311 API is public: any origin may read it (POST still needs the API key). */
const HEADERS: Record<string, string> = {
  ...SECURITY_HEADERS,
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'Access-Control-Allow-Origin': '*',
  'Cache-Control': 'no-store',
};

export function isOpen311Path(url: string | undefined): boolean {
  return url !== undefined && (url === '/open311' || url.startsWith('/open311/'));
}

function send(res: ServerResponse, reply: Open311Reply): void {
  res.writeHead(reply.status, {
    ...HEADERS,
    ...reply.headers,
    'Content-Type': CONTENT_TYPES[reply.format],
  });
  res.end(reply.body);
}

function formatOf(path: string): 'json' | 'xml' {
  return path.endsWith('.json') ? 'json' : 'xml';
}

/** Reads a form body up to the limit; null when it is larger. */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** `http://host:port` as the client reached us; a Host header with anything unusual is not echoed. */
function originOf(req: IncomingMessage): string {
  const host = req.headers.host ?? '';
  return /^[A-Za-z0-9.\-[\]:]{1,255}$/.test(host) ? `http://${host}` : 'http://localhost';
}

/**
 * The answer of a server that serves nothing but Open311 to any other path: a 404 in the spec's error
 * format (JSON when the path asks for it, else XML, the spec's default) that points at the API.
 */
export function sendOpen311NotFound(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  let path = '/';
  try {
    path = new URL(req.url ?? '/', 'http://hub').pathname;
  } catch {
    // An unparsable request target is answered like any other unknown path.
  }
  send(
    res,
    open311ErrorReply(
      formatOf(path),
      Open311Error.one(
        404,
        `This server serves only the Open311 GeoReport v2 API: ${OPEN311_V2}/services.json, discovery at ${DISCOVERY_PATH}.json.`,
      ),
    ),
  );
}

/** The HTTP side of the Open311 API: `/open311/discovery.{format}` and `/open311/v2/...`. */
export function createOpen311Handler(
  core: Open311Core,
  options: Open311Options,
): (req: IncomingMessage, res: ServerResponse) => void {
  const api = new Open311Api(core, options);
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://hub');
    const format = formatOf(url.pathname);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...HEADERS,
        'Access-Control-Allow-Methods': 'GET, POST',
        'Access-Control-Allow-Headers': 'Content-Type',
        'Access-Control-Max-Age': '600',
      });
      res.end();
      return;
    }
    const run = async (): Promise<Open311Reply> => {
      let form = new URLSearchParams();
      if (req.method === 'POST') {
        const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (type !== 'application/x-www-form-urlencoded' && type !== '')
          return api.errorReply(
            format,
            Open311Error.one(
              400,
              'Send the request as Content-Type: application/x-www-form-urlencoded; charset=utf-8.',
            ),
          );
        const body = await readBody(req);
        if (body === null)
          return api.errorReply(
            format,
            Open311Error.one(413, `The request body is larger than ${MAX_BODY_BYTES} bytes.`),
          );
        form = new URLSearchParams(body);
      } else {
        req.resume();
      }
      return api.handle({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        form,
        origin: originOf(req),
      });
    };
    run().then(
      (reply) => send(res, reply),
      () => send(res, api.errorReply(format, Open311Error.one(400, 'The request could not be read.'))),
    );
  };
}
