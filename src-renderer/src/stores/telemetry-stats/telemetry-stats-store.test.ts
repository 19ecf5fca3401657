import { afterEach, describe, expect, it, vi } from 'vitest';
import type { QuarantineSample, TelemetryStats } from '@shared/contract';
import { fakeClient, flush } from '../testing/fake-transport';
import { createTelemetryStatsStore, telemetryStatsSelectors } from './telemetry-stats-store';

const stats = (received: number): TelemetryStats => ({
  at: '2026-11-24T08:00:00.000Z',
  received,
  accepted: received - 3,
  refused: {
    oversized: 0,
    'rate-limited': 0,
    'no-mapping': 0,
    'malformed-json': 2,
    'missing-sn': 0,
    'unknown-device': 1,
    'bad-timestamp': 0,
    late: 0,
    future: 0,
    duplicate: 0,
    'wrong-type': 0,
    'out-of-range': 0,
  },
  messagesPerSecond: 120.5,
  devices: { online: 10, offline: 1, unknown: 2 },
});

const sample = (at: string, reason: QuarantineSample['reason']): QuarantineSample => ({
  at,
  connectorId: 'C1',
  topic: 'fleet/X/telemetry',
  reason,
  detail: 'd',
  payload: '{',
});

describe('telemetry stats store', () => {
  afterEach(() => vi.useRealTimers());

  it('pulls stats and samples every 2 s while watched, newest first, and stops when nobody watches', async () => {
    vi.useFakeTimers();
    const { transport, client } = fakeClient();
    let received = 100;
    transport.handle('telemetry/stats', () => stats((received += 10)));
    transport.handle('telemetry/quarantine', () => [
      sample('2026-11-24T08:00:01.000Z', 'malformed-json'),
      sample('2026-11-24T08:00:03.000Z', 'unknown-device'),
      sample('2026-11-24T08:00:02.000Z', 'malformed-json'),
    ]);
    const store = createTelemetryStatsStore(client, { isVisible: () => true });
    const stopA = store.getState().watch();
    const stopB = store.getState().watch();
    await flush();
    expect(store.getState().stats!.received).toBe(110);
    expect(store.getState().samples.map((s) => s.at.slice(17, 19))).toEqual(['03', '02', '01']);
    expect(transport.callsOf('telemetry/quarantine')).toEqual([{ limit: 200 }]);

    await vi.advanceTimersByTimeAsync(2_000);
    expect(store.getState().stats!.received).toBe(120);
    stopA();
    stopA();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(transport.callsOf('telemetry/stats')).toHaveLength(3);
    stopB();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(transport.callsOf('telemetry/stats')).toHaveLength(3);
  });

  it('pauses while the page is hidden and keeps the last values when a pull fails', async () => {
    vi.useFakeTimers();
    const { transport, client } = fakeClient();
    let visible = true;
    let fail = false;
    transport.handle('telemetry/stats', () => {
      if (fail) throw new Error('boom');
      return stats(5);
    });
    transport.handle('telemetry/quarantine', () => []);
    const store = createTelemetryStatsStore(client, { isVisible: () => visible });
    const stop = store.getState().watch();
    await flush();
    visible = false;
    await vi.advanceTimersByTimeAsync(6_000);
    expect(transport.callsOf('telemetry/stats')).toHaveLength(1);
    visible = true;
    fail = true;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(store.getState().error).toMatchObject({ code: 'INTERNAL' });
    expect(store.getState().stats!.received).toBe(5);
    stop();
  });

  it('filters samples by reason and sums the refusals', () => {
    const samples = [sample('a', 'late'), sample('b', 'future'), sample('c', 'late')];
    expect(telemetryStatsSelectors.filtered({ samples, reason: 'late' })).toHaveLength(2);
    expect(telemetryStatsSelectors.filtered({ samples, reason: null })).toHaveLength(3);
    expect(telemetryStatsSelectors.refusedTotal(stats(10))).toBe(3);
    expect(telemetryStatsSelectors.refusedTotal(null)).toBe(0);
  });
});
