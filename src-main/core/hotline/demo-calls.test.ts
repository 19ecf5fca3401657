import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IncomingCall } from '@shared/contract';
import { checkClassifyInput } from '@shared/domain/classify/input';
import { createRouter, loadGridIndex } from '../routing/route';
import { DEMO_CALL_TEMPLATES, demoCall, startDemoCallStream } from './demo-calls';
import { maskPhone } from './phone-mask';

const MAP = join(import.meta.dirname, '../../../src-renderer/public/map');

describe('demo call stream', () => {
  afterEach(() => vi.useRealTimers());

  it('has Chinese call texts that make valid queued calls with masked phones', () => {
    expect(DEMO_CALL_TEMPLATES.length).toBeGreaterThanOrEqual(20);
    DEMO_CALL_TEMPLATES.forEach((t, i) => {
      expect(checkClassifyInput(t.text)).toBeNull();
      const c = IncomingCall.parse(demoCall(t, `call-${i}`, '2026-03-01T00:00:00.000Z', maskPhone));
      if (t.callerPhone) expect(c.callerPhone).toMatch(/^\d{3}\*{4}\d{4}$/);
    });
    expect(new Set(DEMO_CALL_TEMPLATES.map((t) => t.text)).size).toBe(DEMO_CALL_TEMPLATES.length);
  });

  it('places every call in the demo city as it says: located, ambiguous, or without a place', () => {
    const router = createRouter(
      loadGridIndex(join(MAP, 'grid-cells.geojson'), join(MAP, 'hangzhou-base.geojson')),
    );
    const kinds = new Set<string>();
    for (const t of DEMO_CALL_TEMPLATES) {
      kinds.add(t.expect);
      if (t.place) kinds.add('coordinates');
      const where = t.place ?? (t.address ? { address: t.address } : null);
      if (!where) {
        expect(t.expect).toBe('no-place');
        continue;
      }
      const r = router.routeLocation(where);
      if (t.expect === 'located') expect({ where, ok: r.ok }).toEqual({ where, ok: true });
      else expect(r.reason?.code).toBe('ambiguous');
    }
    expect([...kinds].sort()).toEqual(['ambiguous', 'coordinates', 'located', 'no-place']);
  });

  it('adds a call every N seconds and waits while the queue is full', () => {
    vi.useFakeTimers();
    const queue: string[] = [];
    const stream = startDemoCallStream({ everySec: 5 }, (t) => {
      if (queue.length >= 2) return false;
      queue.push(t.text);
      return true;
    });
    vi.advanceTimersByTime(4_999);
    expect(queue).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(queue).toEqual([DEMO_CALL_TEMPLATES[0]!.text]);
    vi.advanceTimersByTime(20_000);
    expect(queue).toEqual([DEMO_CALL_TEMPLATES[0]!.text, DEMO_CALL_TEMPLATES[1]!.text]);
    queue.shift();
    vi.advanceTimersByTime(5_000);
    // The refused call was not skipped: the next one is the third template.
    expect(queue).toEqual([DEMO_CALL_TEMPLATES[1]!.text, DEMO_CALL_TEMPLATES[2]!.text]);
    stream.stop();
    vi.advanceTimersByTime(60_000);
    expect(queue).toHaveLength(2);
  });

  it('refuses a nonsense interval', () => {
    expect(() => startDemoCallStream({ everySec: 0 }, () => true)).toThrow(/between 1 and 3600/);
  });
});
