import type { RpcClient } from '../../rpc/client';
import { float32FromBase64 } from '../../stores/fleet/binary';

/**
 * Latest values of several metrics at once, for site × metric (the fleet store pulls one metric).
 * Pulls every key once per interval, in parallel; a key's values are kept only when they are
 * indexed by the registry version the layout was built for.
 */
export class MetricFrames {
  private readonly values = new Map<string, Float32Array>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private running = false;
  private stopped = false;

  constructor(
    private readonly client: Pick<RpcClient, 'call'>,
    private readonly keys: readonly string[],
    private readonly registryVersion: () => number,
    private readonly intervalMs = 1_000,
  ) {}

  private readonly listeners = new Set<() => void>();

  /** Called after each pull that brought new values. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.keys.length === 0) return;
    void this.pull();
    this.timer = setInterval(() => void this.pull(), this.intervalMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  get(key: string): Float32Array | null {
    return this.values.get(key) ?? null;
  }

  private async pull(): Promise<void> {
    // A slow hub must not pile up pulls: skip the tick while one is still out.
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      const frames = await Promise.allSettled(
        this.keys.map((metric) => this.client.call('telemetry/frame', { metric })),
      );
      if (this.stopped) return;
      let changed = false;
      frames.forEach((r, i) => {
        if (r.status !== 'fulfilled' || !r.value.values) return;
        if (r.value.registryVersion !== this.registryVersion()) return;
        this.values.set(this.keys[i]!, float32FromBase64(r.value.values));
        changed = true;
      });
      if (changed) for (const l of this.listeners) l();
    } finally {
      this.running = false;
    }
  }
}
