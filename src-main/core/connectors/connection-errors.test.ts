import { describe, expect, it } from 'vitest';
import { backoffDelay, describeConnectionError, redactUrl, type ConnectionTarget } from './connection-errors';

const target: ConnectionTarget = {
  host: 'broker.example',
  port: 8883,
  clientId: 'hub-1',
  connectTimeoutMs: 10_000,
};
const err = (code: string | number, message = 'boom'): Error => Object.assign(new Error(message), { code });

describe('describeConnectionError', () => {
  it('explains refused CONNACKs (MQTT 3.1.1 return codes and MQTT 5 reason codes)', () => {
    expect(describeConnectionError(err(4), target)).toEqual({
      state: 'error',
      message: 'The broker rejected the user name or password (wrong password?)',
    });
    expect(describeConnectionError(err(5), target).message).toMatch(/^Not authorized/);
    expect(describeConnectionError(err(134), target).state).toBe('error');
    expect(describeConnectionError(err(2), target).message).toContain('"hub-1"');
    expect(describeConnectionError(err(3), target).state).toBe('disconnected');
    expect(describeConnectionError(err(1), target).message).toContain('MQTT version');
    expect(describeConnectionError(err(138), target).message).toContain('banned');
    expect(describeConnectionError(err(99, 'odd'), target)).toEqual({
      state: 'error',
      message: 'The broker refused the connection: odd (code 99)',
    });
  });

  it('tells network trouble (disconnected, retried) from setup faults (error)', () => {
    expect(describeConnectionError(err('ECONNREFUSED'), target)).toEqual({
      state: 'disconnected',
      message: 'Connection refused by broker.example:8883: is the broker running and listening there?',
    });
    expect(describeConnectionError(err('ENOTFOUND'), target)).toEqual({
      state: 'error',
      message: 'Host name "broker.example" not found (DNS lookup failed)',
    });
    for (const code of ['EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE'])
      expect(describeConnectionError(err(code), target).state).toBe('disconnected');
    expect(describeConnectionError(err('ECONNREFUSED'), { ...target, port: null }).message).toContain(
      'by broker.example:',
    );
  });

  it('names TLS problems an operator can fix', () => {
    for (const code of [
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    ]) {
      expect(describeConnectionError(err(code), target)).toEqual({
        state: 'error',
        message:
          "TLS: the broker's certificate is not trusted (self-signed or unknown CA): add the CA certificate to the connector",
      });
    }
    expect(describeConnectionError(err('CERT_HAS_EXPIRED'), target).message).toContain('expired');
    expect(describeConnectionError(err('ERR_TLS_CERT_ALTNAME_INVALID'), target).message).toContain(
      '"broker.example"',
    );
    const handshake = describeConnectionError(
      err('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number'),
      target,
    );
    expect(handshake).toEqual({
      state: 'error',
      message: 'TLS handshake with broker.example:8883 failed: wrong version number',
    });
  });

  it('explains timeouts, WebSocket answers and anything else without throwing', () => {
    expect(describeConnectionError(new Error('connack timeout'), target).message).toBe(
      'No answer from the broker at broker.example:8883 within 10 s',
    );
    expect(describeConnectionError(new Error('Keepalive timeout'), target).state).toBe('disconnected');
    expect(describeConnectionError(new Error('Unexpected server response: 401'), target)).toEqual({
      state: 'error',
      message: 'The WebSocket endpoint at broker.example:8883 answered HTTP 401 instead of MQTT',
    });
    expect(describeConnectionError(new Error('Unexpected server response: 502'), target).state).toBe(
      'disconnected',
    );
    expect(describeConnectionError('plain text', target)).toEqual({
      state: 'disconnected',
      message: 'plain text',
    });
    expect(describeConnectionError(null, target).message).toBe('null');
    expect(describeConnectionError(new Error(''), target).message).toBe('Unknown connection error');
    const long = describeConnectionError(new Error('x'.repeat(1000)), target).message;
    expect(long.length).toBe(300);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('redactUrl', () => {
  it('removes credentials from a URL and leaves the rest', () => {
    expect(redactUrl('mqtts://user:secret@broker:8883/x')).toBe('mqtts://***@broker:8883/x');
    expect(redactUrl('ws://token@host/mqtt')).toBe('ws://***@host/mqtt');
    expect(redactUrl('mqtt://broker:1883')).toBe('mqtt://broker:1883');
    expect(redactUrl('embedded://')).toBe('embedded://');
  });
});

describe('backoffDelay', () => {
  const policy = { minDelayMs: 1000, maxDelayMs: 30_000 };
  it('doubles per attempt up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((a) => backoffDelay(a, policy, () => 0))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000,
    ]);
    expect(backoffDelay(-3, policy, () => 0)).toBe(1000);
    expect(backoffDelay(10_000, policy, () => 0)).toBe(30_000);
  });
  it('takes up to a quarter off as jitter, never more', () => {
    expect(backoffDelay(2, policy, () => 0.999_999)).toBe(3000);
    expect(backoffDelay(2, policy, () => 0.5)).toBe(3500);
    for (let i = 0; i < 100; i++) {
      const d = backoffDelay(3, policy, Math.random);
      expect(d).toBeGreaterThanOrEqual(6000);
      expect(d).toBeLessThanOrEqual(8000);
    }
  });
});
