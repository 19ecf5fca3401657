import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from '../../src-main/core/create-core';
import { seedDemoData } from '../../src-main/core/demo/seed-demo';
import { silentLogger } from '../../src-main/core/ports';
import { FileStore } from '../../src-main/core/store/file-store';
import { say } from './report';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Hash of the code that shapes the data on disk: a change to it means a new dataset. */
function codeHash(): string {
  const h = createHash('sha256');
  const walk = (dir: string): void => {
    for (const f of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, f.name);
      if (f.isDirectory()) walk(path);
      else if (f.name.endsWith('.ts') && !f.name.endsWith('.test.ts'))
        h.update(readFileSync(join(root, path)));
    }
  };
  for (const dir of ['src-main/shared', 'src-main/core/demo', 'src-main/core/store', 'src-main/core/tickets'])
    walk(dir);
  return h.digest('hex').slice(0, 12);
}

/**
 * A data folder with `count` demo tickets and a snapshot, built once and reused while the code that
 * shapes it is unchanged (building a million tickets takes minutes). BENCH_FRESH=1 rebuilds.
 * The clock is fixed so the dataset does not depend on when it was built.
 */
export async function ensureDataset(count: number, seed = 7): Promise<{ dir: string; now: number }> {
  const now = Date.UTC(2026, 10, 24, 2, 0, 0);
  const dir = join(
    process.env.BENCH_DATA ?? join(tmpdir(), 'watchfloor-bench'),
    `tickets-${count}-s${seed}-${codeHash()}`,
  );
  const marker = join(dir, '.bench-complete');
  if (existsSync(marker) && process.env.BENCH_FRESH !== '1') {
    say(`reusing dataset ${dir}`);
    return { dir, now };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const storage = await FileStore.open({ dir, logger: silentLogger, snapshotEvery: 0 });
  const core = await createCore({ storage, host: 'in-process', version: 'bench', clock: { now: () => now } });
  const config = (await storage.latestConfig())!;
  let lastPct = -1;
  await seedDemoData(storage, config, { count, seed, now }, (done, total) => {
    const pct = Math.floor((done / total) * 100);
    if (pct !== lastPct && pct % 5 === 0) say(`building dataset: ${done} / ${total} tickets`);
    lastPct = pct;
  });
  await core.close();
  writeFileSync(marker, JSON.stringify({ count, seed, builtInMs: Math.round(performance.now() - started) }));
  say(`dataset of ${count} tickets built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { dir, now };
}
