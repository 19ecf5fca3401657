import { describe, expect, it } from 'vitest';
import { QuarantineReason, type QuarantineSample, type TelemetryStats } from '@shared/contract';
import { reasonRows } from './quality';

const stats = (refused: Partial<TelemetryStats['refused']>): TelemetryStats => ({
  at: '2026-11-24T08:00:00.000Z',
  received: 10,
  accepted: 5,
  // Counters the core has not seen yet may be absent on the wire too.
  refused: refused as TelemetryStats['refused'],
  messagesPerSecond: 1,
  devices: { online: 1, offline: 0, unknown: 0 },
});

const sample = (reason: QuarantineSample['reason']): QuarantineSample => ({
  at: '2026-11-24T08:00:00.000Z',
  connectorId: 'A',
  topic: 't',
  reason,
  detail: '',
  payload: '',
});

describe('reason rows', () => {
  it('lists every reason, those that happened first, each group in contract order', () => {
    const rows = reasonRows(stats({ late: 3, 'malformed-json': 7 }), [sample('late'), sample('late')]);
    expect(rows).toHaveLength(QuarantineReason.options.length);
    expect(rows.slice(0, 2).map((r) => [r.reason, r.count, r.samples])).toEqual([
      ['malformed-json', 7, 0],
      ['late', 3, 2],
    ]);
    expect(rows[2]!).toEqual({ reason: 'oversized', count: 0, samples: 0 });
  });

  it('shows zeros before the first pull', () => {
    expect(reasonRows(null, []).every((r) => r.count === 0)).toBe(true);
  });
});
