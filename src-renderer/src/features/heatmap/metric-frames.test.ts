import { describe, expect, it, vi } from 'vitest';
import { fakeClient, flush } from '../../stores/testing/fake-transport';
import { MetricFrames } from './metric-frames';

const f32 = (values: number[]): string => Buffer.from(Float32Array.from(values).buffer).toString('base64');

describe('metric frames', () => {
  it('pulls every key and keeps values of the current registry version only', async () => {
    const { transport, client } = fakeClient();
    let version = 2;
    transport.handle('telemetry/frame', (p) => {
      const metric = (p as { metric: string }).metric;
      return {
        seq: 1,
        at: '2026-11-24T00:00:00.000Z',
        registryVersion: version,
        health: '',
        metric,
        values: f32(metric === 'ripple' ? [1, 2] : [3, 4]),
      };
    });
    const frames = new MetricFrames(client, ['ripple', 'power'], () => 2, 60_000);
    const listener = vi.fn();
    frames.subscribe(listener);
    frames.start();
    await flush();
    expect(Array.from(frames.get('ripple')!)).toEqual([1, 2]);
    expect(Array.from(frames.get('power')!)).toEqual([3, 4]);
    expect(listener).toHaveBeenCalledTimes(1);
    frames.stop();

    version = 3;
    const stale = new MetricFrames(client, ['ripple'], () => 2, 60_000);
    stale.start();
    await flush();
    expect(stale.get('ripple')).toBeNull();
    stale.stop();
  });
});
