import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tests/helpers/chromium';
import { ensureDataset } from './dataset';
import { startHubProcess } from './hub-process';
import { emit, percentile, say } from './report';

/**
 * From starting the hub process on a data folder of a million tickets to the first board row
 * painted in Chromium (already running, as on an operator's desk). Baseline: a bare Node process
 * that reads the same snapshot file, the I/O floor of any start from that snapshot. The page cache
 * is warm (the machine cannot drop caches), so this is a warm-disk cold start of the process.
 */
export async function benchColdStart(count = Number(process.env.BENCH_TICKETS ?? 1_000_000)): Promise<void> {
  const { dir } = await ensureDataset(count);
  const snapshot = readdirSync(join(dir, 'snapshots'))
    .filter((n) => n.endsWith('.wfs'))
    .sort()
    .at(-1);
  if (!snapshot) throw new Error(`dataset ${dir} has no snapshot`);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const totals: number[] = [];
  const parts: { ready: number; paint: number; storeOpen: number }[] = [];
  const baselines: number[] = [];
  try {
    for (let run = 0; run < 3; run++) {
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
      const t0 = performance.now();
      const hub = await startHubProcess(['--data-dir', dir]);
      const ready = performance.now() - t0;
      await page.goto(hub.url);
      await page.locator('[data-testid="ticket-row"]').first().waitFor({ state: 'visible', timeout: 30_000 });
      const total = performance.now() - t0;
      const open = /"message":"store opened"[^\n]*"durationMs":([\d.]+)/.exec(hub.stderr());
      await hub.stop();
      await page.close();
      totals.push(total);
      parts.push({ ready, paint: total - ready, storeOpen: open ? Number(open[1]) : Number.NaN });
      say(
        `cold start ${run + 1}: ${Math.round(total)} ms (hub ready ${Math.round(ready)} ms, store open ${Math.round(parts.at(-1)!.storeOpen)} ms, first paint +${Math.round(total - ready)} ms)`,
      );

      const b0 = performance.now();
      spawnSync(process.execPath, [
        '-e',
        `require('fs').readFileSync(${JSON.stringify(join(dir, 'snapshots', snapshot))})`,
      ]);
      baselines.push(performance.now() - b0);
    }
  } finally {
    await browser.close();
  }
  const median = percentile(totals, 50);
  const mid = parts[totals.indexOf(median)]!;
  emit({
    bench: 'cold-start',
    metric: 'cold_start_ms',
    value: median,
    unit: 'ms',
    baseline: percentile(baselines, 50),
    note: `${count} tickets; hub ready ${Math.round(mid.ready)} ms (store open ${Math.round(mid.storeOpen)} ms), first board paint +${Math.round(mid.paint)} ms; baseline = node reading the snapshot file`,
  });
}
