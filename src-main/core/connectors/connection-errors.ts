/**
 * Turning what mqtt.js and Node report into something an operator can act on, and deciding whether
 * it is a fault in the setup (`error`: wrong password, unknown host, untrusted certificate) or the
 * broker or network being away (`disconnected`). Either way the connection is retried with backoff.
 */

export interface ConnectionProblem {
  state: 'error' | 'disconnected';
  message: string;
}

/** Where we tried to connect, for the messages (never with credentials). */
export interface ConnectionTarget {
  host: string;
  port: number | null;
  clientId: string;
  connectTimeoutMs: number;
}

const TLS_UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
]);

const MAX_MESSAGE = 300;

function clip(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > MAX_MESSAGE ? `${t.slice(0, MAX_MESSAGE - 1)}…` : t;
}

function where(t: ConnectionTarget): string {
  return t.port === null ? t.host : `${t.host}:${t.port}`;
}

/** Reason codes of a refused CONNACK: MQTT 3.1.1 return codes (1–5) and MQTT 5 reason codes (≥ 128). */
function refused(code: number, t: ConnectionTarget): ConnectionProblem | null {
  switch (code) {
    case 1:
    case 132:
      return {
        state: 'error',
        message: 'The broker refused the connection: it does not accept this MQTT version',
      };
    case 2:
    case 133:
      return { state: 'error', message: `The broker rejected the client id "${t.clientId}"` };
    case 3:
    case 136:
      return {
        state: 'disconnected',
        message: 'The broker is unavailable (it refused the connection for now)',
      };
    case 4:
    case 134:
      return { state: 'error', message: 'The broker rejected the user name or password (wrong password?)' };
    case 5:
    case 135:
      return {
        state: 'error',
        message:
          'Not authorized: the broker refused the login (wrong user name or password, or this client is not allowed)',
      };
    case 138:
      return { state: 'error', message: 'The broker has banned this client' };
    case 140:
      return { state: 'error', message: 'The broker refused the authentication method' };
    default:
      return null;
  }
}

export function describeConnectionError(err: unknown, t: ConnectionTarget): ConnectionProblem {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as {
    code?: unknown;
    message?: unknown;
  };
  const message = typeof e.message === 'string' ? e.message : String(err);
  const code = e.code;

  if (typeof code === 'number') {
    const r = refused(code, t);
    if (r) return r;
    return { state: 'error', message: clip(`The broker refused the connection: ${message} (code ${code})`) };
  }

  switch (code) {
    case 'ECONNREFUSED':
      return {
        state: 'disconnected',
        message: `Connection refused by ${where(t)}: is the broker running and listening there?`,
      };
    case 'ENOTFOUND':
      return { state: 'error', message: `Host name "${t.host}" not found (DNS lookup failed)` };
    case 'EAI_AGAIN':
      return {
        state: 'disconnected',
        message: `DNS lookup of "${t.host}" failed for now (no answer from DNS)`,
      };
    case 'ETIMEDOUT':
      return { state: 'disconnected', message: `Connecting to ${where(t)} timed out` };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'ENETDOWN':
      return { state: 'disconnected', message: `${where(t)} cannot be reached (no route to the host)` };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
      return { state: 'disconnected', message: `The connection to ${where(t)} was reset` };
    case 'CERT_HAS_EXPIRED':
      return { state: 'error', message: "TLS: the broker's certificate has expired" };
    case 'CERT_NOT_YET_VALID':
      return { state: 'error', message: "TLS: the broker's certificate is not valid yet (check the clock)" };
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return { state: 'error', message: `TLS: the broker's certificate is not issued for "${t.host}"` };
    default:
      break;
  }
  if (typeof code === 'string' && TLS_UNTRUSTED.has(code)) {
    return {
      state: 'error',
      message:
        "TLS: the broker's certificate is not trusted (self-signed or unknown CA): add the CA certificate to the connector",
    };
  }
  if (
    typeof code === 'string' &&
    (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO')
  ) {
    return { state: 'error', message: clip(`TLS handshake with ${where(t)} failed: ${message}`) };
  }
  if (message === 'connack timeout') {
    return {
      state: 'disconnected',
      message: `No answer from the broker at ${where(t)} within ${Math.round(t.connectTimeoutMs / 1000)} s`,
    };
  }
  if (message === 'Keepalive timeout') {
    return { state: 'disconnected', message: 'The broker stopped answering (keepalive timeout)' };
  }
  const http = /Unexpected server response: (\d+)/.exec(message);
  if (http) {
    const status = Number(http[1]);
    return {
      state: status === 401 || status === 403 || status === 404 ? 'error' : 'disconnected',
      message: `The WebSocket endpoint at ${where(t)} answered HTTP ${status} instead of MQTT`,
    };
  }
  return { state: 'disconnected', message: clip(message || 'Unknown connection error') };
}

/** Removes `user:password@` from a URL before it is logged or shown. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/)[^@/\s]*@/i, '$1***@');
}

export interface BackoffPolicy {
  minDelayMs: number;
  maxDelayMs: number;
}

/**
 * Exponential backoff with jitter: attempt 0 waits about `minDelayMs`, each further attempt doubles
 * it up to `maxDelayMs`; the jitter takes up to a quarter off so that many connectors that lost the
 * same broker do not come back in step.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const base = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  return Math.max(0, Math.round(base * (1 - 0.25 * random())));
}
