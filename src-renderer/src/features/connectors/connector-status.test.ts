import { describe, expect, it } from 'vitest';
import type { Connector, ConnectorStatus } from '@shared/contract';
import {
  connectedCount,
  displayUrl,
  durationParts,
  lookOf,
  settingsOf,
  toneOfAggregate,
  toneOfLook,
} from './connector-status';
import { toSaveParams, draftFromConnector } from './connector-draft';

const status = (state: ConnectorStatus['state'], reconnects = 0): ConnectorStatus => ({
  state,
  since: '2026-11-24T08:00:00.000Z',
  lastError: null,
  messages: 0,
  lastMessageAt: null,
  reconnects,
  gaps: [],
});

const connector = (over: Partial<Connector> = {}): Connector => ({
  id: 'A',
  name: '内置代理',
  enabled: true,
  url: 'mqtt://ops:pw@broker.local:1883',
  clientId: 'wf-a',
  username: 'ops',
  tls: { rejectUnauthorized: true, ca: null, cert: null },
  persistentSession: true,
  keepaliveSec: 30,
  subscriptions: [{ topic: 'fleet/+/telemetry', qos: 1 }],
  mappings: [
    {
      topic: 'fleet/{sn}/telemetry',
      sn: { from: 'topic' },
      timestamp: { from: 'receive' },
      metrics: [{ metric: 'ripple', path: '$.ripple', scale: 1 }],
    },
  ],
  unknownDevices: 'quarantine',
  maxPastSec: 86_400,
  maxFutureSec: 300,
  maxPayloadBytes: 16_384,
  maxMessagesPerSecond: 100_000,
  hasPassword: true,
  hasTlsKey: false,
  version: 2,
  updatedAt: '2026-11-24T08:00:00.000Z',
  status: status('connected'),
  ...over,
});

describe('connector look', () => {
  it('tells a first connect from a reconnect, and a disabled connector from all', () => {
    expect(lookOf(connector())).toBe('connected');
    expect(lookOf(connector({ status: status('connecting') }))).toBe('connecting');
    expect(lookOf(connector({ status: status('connecting', 3) }))).toBe('reconnecting');
    expect(lookOf(connector({ status: status('disconnected', 1) }))).toBe('reconnecting');
    expect(lookOf(connector({ status: status('error', 2) }))).toBe('error');
    expect(lookOf(connector({ enabled: false, status: status('connected') }))).toBe('disabled');
    expect(lookOf(connector({ status: status('disabled') }))).toBe('disabled');
  });

  it('colours looks and aggregates', () => {
    expect(toneOfLook('connected')).toBe('ok');
    expect(toneOfLook('reconnecting')).toBe('warn');
    expect(toneOfLook('error')).toBe('danger');
    expect(toneOfLook('disabled')).toBe('idle');
    expect(toneOfAggregate('ok')).toBe('ok');
    expect(toneOfAggregate('degraded')).toBe('warn');
    expect(toneOfAggregate('down')).toBe('danger');
    expect(toneOfAggregate('none')).toBe('idle');
  });

  it('counts connected of enabled for the badge', () => {
    expect(
      connectedCount([
        connector(),
        connector({ id: 'B', status: status('error') }),
        connector({ id: 'C', enabled: false, status: status('disabled') }),
      ]),
    ).toEqual({ connected: 1, enabled: 2 });
  });

  it('masks credentials in a displayed URL', () => {
    expect(displayUrl('mqtt://ops:pw@broker.local:1883')).toBe('mqtt://•••@broker.local:1883');
    expect(displayUrl('embedded://')).toBe('embedded://');
  });

  it('gives durations in their largest unit', () => {
    expect(durationParts(42_000)).toEqual({ n: 42, unit: 's' });
    expect(durationParts(5 * 60_000 + 1)).toEqual({ n: 5, unit: 'm' });
    expect(durationParts(3 * 3_600_000)).toEqual({ n: 3, unit: 'h' });
    expect(durationParts(2 * 86_400_000)).toEqual({ n: 2, unit: 'd' });
    expect(durationParts(-5)).toEqual({ n: 0, unit: 's' });
  });

  it('saves a connector again with the same settings and no secret params', () => {
    const c = connector();
    const s = settingsOf(c);
    expect(s).not.toHaveProperty('status');
    expect(s).not.toHaveProperty('hasPassword');
    // The same settings as the form would send for an untouched draft.
    expect(toSaveParams(draftFromConnector(c), c).params.settings).toEqual(s);
  });
});
