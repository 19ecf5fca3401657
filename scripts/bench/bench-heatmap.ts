import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { chromium, type Page } from 'playwright-core';
import WebSocket from 'ws';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tests/helpers/chromium';
import { startHubProcess } from './hub-process';
import { emit, percentile, say } from './report';

/**
 * Renderer frame time while 10,000 devices update at 1 Hz. The hub is real (built, separate
 * process); the devices are imported over RPC and report over MQTT through a broker this process
 * runs, via a connector the bench saves — the same ingest path as any field device, so the
 * heatmap receives the hub's 1 Hz health pushes with changing values.
 *
 * In headless Chromium the heatmap page and an empty page are each watched for BENCH_SECONDS
 * (default 30) with requestAnimationFrame: frame interval median / p95, dropped frames (intervals
 * longer than 1.5 vsync periods, counted as the periods they span) against the empty page's
 * cadence; and the update cost per tick from the page's `heatmap-update` user-timing measures.
 */

/* ---------------- fleet feeding: shared with tests/e2e/heatmap.spec.ts ---------------- */

export interface HubRpc {
  call<T = unknown>(method: string, params: unknown): Promise<T>;
  close(): void;
}

/** A persistent RPC connection to a hub (the e2e helper opens one per call). */
export async function connectHub(hubUrl: string): Promise<HubRpc> {
  const url = new URL('/rpc', hubUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let next = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  ws.on('message', (data: WebSocket.RawData) => {
    const msg = JSON.parse(data.toString()) as {
      id?: number;
      result?: unknown;
      error?: { code: string; message: string };
    };
    if (typeof msg.id !== 'number') return;
    const p = pending.get(msg.id);
    pending.delete(msg.id);
    if (!p) return;
    if (msg.error) p.reject(new Error(`${msg.error.code}: ${msg.error.message}`));
    else p.resolve(msg.result);
  });
  return {
    call<T>(method: string, params: unknown): Promise<T> {
      const id = ++next;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        ws.send(JSON.stringify({ id, method, params }));
      });
    },
    close: () => ws.close(),
  };
}

const REGIONS = [
  ['西湖区', 120.13, 30.26],
  ['上城区', 120.18, 30.25],
  ['拱墅区', 120.15, 30.32],
  ['滨江区', 120.21, 30.2],
  ['余杭区', 120.3, 30.42],
  ['萧山区', 120.27, 30.18],
] as const;

export const FEED_TOPIC = 'hmfeed/{sn}/telemetry';

export function fleetSn(prefix: string, i: number): string {
  return `${prefix}-${String(i).padStart(5, '0')}`;
}

/** Imports `count` PV inverters in sites of `perSite` (CSV chunks, as the devices page sends them). */
export async function importFleet(
  rpc: HubRpc,
  count: number,
  prefix = 'HM',
  perSite = 20,
): Promise<string[]> {
  const sns: string[] = [];
  const header = 'sn,kind,site,region,lng,lat,model,installDate,metadata.gridId';
  for (let start = 0; start < count; start += 2_000) {
    const lines = [header];
    for (let i = start; i < Math.min(count, start + 2_000); i++) {
      const site = Math.floor(i / perSite);
      const [region, lng, lat] = REGIONS[site % REGIONS.length]!;
      const sn = fleetSn(prefix, i);
      sns.push(sn);
      const dx = ((site * 7919) % 200) / 1000 - 0.1 + (i % perSite) * 0.0004;
      const dy = ((site * 104729) % 200) / 1000 - 0.1;
      lines.push(
        `${sn},pv-inverter,${region}光伏电站 ${String(site + 1).padStart(3, '0')},${region},${(lng + dx).toFixed(5)},${(lat + dy).toFixed(5)},SG-110CX,2023-0${1 + (site % 9)}-15,330100-${String(site % 50).padStart(3, '0')}-001`,
      );
    }
    const result = await rpc.call<{ errors: unknown[] }>('devices/import', {
      format: 'csv',
      content: lines.join('\n'),
      firstRow: start + 1,
    });
    if (result.errors.length) throw new Error(`device import: ${JSON.stringify(result.errors.slice(0, 3))}`);
  }
  return sns;
}

/** Saves a connector from the hub to `brokerUrl` that maps FEED_TOPIC payloads to PV metrics. */
export async function saveFeedConnector(
  rpc: HubRpc,
  brokerUrl: string,
  name = 'heatmap feed',
): Promise<void> {
  await rpc.call('connectors/save', {
    settings: {
      name,
      url: brokerUrl,
      clientId: `wf-hmfeed-${process.pid}-${Date.now().toString(36)}`,
      persistentSession: false,
      subscriptions: [{ topic: 'hmfeed/+/telemetry', qos: 0 }],
      mappings: [
        {
          topic: FEED_TOPIC,
          sn: { from: 'topic' },
          timestamp: { from: 'json', path: '$.ts', format: 'ms' },
          metrics: ['ripple', 'tempGradient', 'packetLoss', 'power', 'ambient', 'irradiance'].map((m) => ({
            metric: m,
            path: `$.${m}`,
          })),
        },
      ],
      maxMessagesPerSecond: 1_000_000,
    },
  });
}

export interface Broker {
  url: string;
  close(): Promise<void>;
}

/** An aedes broker in this process on a free loopback port. */
export async function startBroker(): Promise<Broker> {
  const broker = await Aedes.createBroker();
  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        broker.close(() => server.close(() => resolve()));
      }),
  };
}

export interface Feeder {
  published: () => number;
  stop(): Promise<void>;
}

/**
 * Publishes one sample per device per second, spread over the second in ten batches. Device i
 * degrades when i % 50 === 7 (ripple past alarm), watches when i % 50 === 19 (ripple past warn),
 * and i % 97 === 3 never reports (no data); everyone else is healthy, with noise, so colours move.
 */
export async function startFeeder(brokerUrl: string, sns: readonly string[]): Promise<Feeder> {
  const client: MqttClient = await mqtt.connectAsync(brokerUrl, {
    clientId: `hmfeed-pub-${process.pid}-${Date.now()}`,
  });
  let published = 0;
  let tick = 0;
  let stopped = false;
  const batches = 10;
  const step = Math.ceil(sns.length / batches);
  const timer = setInterval(() => {
    if (stopped) return;
    const b = tick % batches;
    const round = Math.floor(tick / batches);
    tick++;
    const now = Date.now();
    for (let i = b * step; i < Math.min(sns.length, (b + 1) * step); i++) {
      if (i % 97 === 3) continue;
      const wave = Math.sin((round + i) / 7);
      const ripple = i % 50 === 7 ? 7 + 2 * wave : i % 50 === 19 ? 4 + 0.8 * wave : 1.2 + 0.6 * wave;
      const payload = JSON.stringify({
        ts: now,
        ripple: Math.max(0, ripple),
        tempGradient: 0.3 + 0.2 * wave,
        packetLoss: i % 50 === 31 ? 4 + wave : 0.2,
        power: 400 + 300 * wave,
        ambient: 18 + 2 * wave,
        irradiance: 700 + 200 * wave,
      });
      client.publish(`hmfeed/${sns[i]}/telemetry`, payload, { qos: 0 });
      published++;
    }
  }, 1_000 / batches);
  return {
    published: () => published,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await client.endAsync();
    },
  };
}

/* ---------------- the bench ---------------- */

interface FrameStats {
  intervals: number[];
}

/**
 * The page-side rAF recorder, as source text: tsx (esbuild with keepNames) would wrap named inner
 * functions of a serialised callback in a `__name` helper the page does not have.
 */
const RAF_RECORDER = `(ms) => new Promise((resolve) => {
  const out = [];
  let last = 0;
  let end = 0;
  const step = (now) => {
    out.push(now - last);
    last = now;
    if (now < end) requestAnimationFrame(step);
    else resolve(out);
  };
  requestAnimationFrame((now) => {
    last = now;
    end = now + ms;
    requestAnimationFrame(step);
  });
})`;

/** Collects requestAnimationFrame intervals in the page for `seconds`. */
async function rafIntervals(page: Page, seconds: number): Promise<FrameStats> {
  const intervals = (await page.evaluate(`(${RAF_RECORDER})(${seconds * 1000})`)) as number[];
  return { intervals };
}

/** Dropped frames: each interval spans round(interval / period) vsyncs; all but one were missed. */
function dropped(intervals: number[], period: number): { dropped: number; expected: number } {
  let missed = 0;
  let expected = 0;
  for (const dt of intervals) {
    const spans = Math.max(1, Math.round(dt / period));
    expected += spans;
    if (dt > period * 1.5) missed += spans - 1;
  }
  return { dropped: missed, expected };
}

export async function benchHeatmap(): Promise<void> {
  const devices = Number(process.env.BENCH_DEVICES ?? 10_000);
  const seconds = Number(process.env.BENCH_SECONDS ?? 30);
  const dir = mkdtempSync(join(tmpdir(), 'wf-bench-heatmap-'));
  const broker = await startBroker();
  const hub = await startHubProcess([
    '--data-dir',
    join(dir, 'data'),
    '--mqtt-port',
    '0',
    '--rate',
    '100000',
    '--burst',
    '100000',
  ]);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  let feeder: Feeder | null = null;
  const rpc = await connectHub(hub.url);
  try {
    say(`heatmap: importing ${devices} devices`);
    const sns = await importFleet(rpc, devices);
    await saveFeedConnector(rpc, broker.url);
    feeder = await startFeeder(broker.url, sns);
    // Let the ingest reach steady state (every device reported, health computed).
    await new Promise((r) => setTimeout(r, 4_000));

    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });

    // Baseline: the cadence of an empty page in the same browser, same run.
    await page.goto('about:blank');
    const base = await rafIntervals(page, Math.min(seconds, 10));
    const period = percentile(base.intervals, 50);
    say(`heatmap: empty page rAF median ${period.toFixed(2)} ms`);

    await page.goto(new URL('/heatmap', hub.url).toString());
    await page.getByTestId('heatmap-chart').waitFor({ state: 'visible', timeout: 60_000 });
    await page.waitForFunction(
      () =>
        Number(document.querySelector('[data-testid="heatmap-chart"]')?.getAttribute('data-frames') ?? 0) >=
        3,
      null,
      {
        timeout: 60_000,
      },
    );
    const cells = Number(await page.getByTestId('heatmap-chart').getAttribute('data-cells'));
    await page.evaluate(`(() => {
      window.__hmUpdates = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (e.name === 'heatmap-update') window.__hmUpdates.push(e.duration);
      }).observe({ type: 'measure' });
    })()`);
    const framesBefore = Number(await page.getByTestId('heatmap-chart').getAttribute('data-frames'));
    say(`heatmap: measuring ${seconds} s over ${cells} cells`);
    const run = await rafIntervals(page, seconds);
    const updates = await page.evaluate(() => (window as unknown as { __hmUpdates: number[] }).__hmUpdates);
    const framesAfter = Number(await page.getByTestId('heatmap-chart').getAttribute('data-frames'));
    const { dropped: miss, expected } = dropped(run.intervals, period);
    const baseDrop = dropped(base.intervals, period);
    const median = percentile(run.intervals, 50);
    const p95 = percentile(run.intervals, 95);
    const note = `${cells} cells, ${framesAfter - framesBefore} data ticks in ${seconds} s, ${feeder.published()} MQTT samples published`;
    emit({
      bench: 'heatmap',
      metric: 'heatmap_frame_median_ms',
      value: median,
      unit: 'ms',
      baseline: period,
      note,
    });
    emit({
      bench: 'heatmap',
      metric: 'heatmap_frame_p95_ms',
      value: p95,
      unit: 'ms',
      baseline: percentile(base.intervals, 95),
      note: `p99 ${percentile(run.intervals, 99).toFixed(1)} ms, max ${Math.max(...run.intervals).toFixed(1)} ms (empty page p99 ${percentile(base.intervals, 99).toFixed(1)} ms)`,
    });
    emit({
      bench: 'heatmap',
      metric: 'heatmap_dropped_frames_pct',
      value: (100 * miss) / Math.max(1, expected),
      unit: '%',
      baseline: (100 * baseDrop.dropped) / Math.max(1, baseDrop.expected),
      ratio: null,
    });
    emit({
      bench: 'heatmap',
      metric: 'heatmap_update_ms_per_tick',
      value: percentile(updates, 50),
      unit: 'ms',
      baseline: null,
      note: `p95 ${percentile(updates, 95).toFixed(2)} ms over ${updates.length} updates (fill + setOption; painting is in the frame times)`,
    });
  } finally {
    rpc.close();
    await feeder?.stop();
    await browser.close();
    await hub.stop();
    await broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
