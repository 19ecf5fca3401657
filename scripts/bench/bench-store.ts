import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writevSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../../src-main/core/create-core';
import { silentLogger } from '../../src-main/core/ports';
import { FileStore } from '../../src-main/core/store/file-store';
import { emit, say } from './report';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 256);

/**
 * Durable commands per second with group commit, against the raw append+fdatasync rate of the same
 * disk in the same run (one record of the same size per fsync: what a store without group commit
 * could reach at best). A second figure compares with raw appends in the same batch sizes, which
 * shows how much of the disk's batched bandwidth the command path (validation, decision,
 * projection, all on one JS thread) leaves unused.
 */
export async function benchStore(root = tmpdir()): Promise<void> {
  const dir = mkdtempSync(join(root, 'wf-bench-store-'));
  try {
    const storage = await FileStore.open({ dir: join(dir, 'data'), logger: silentLogger, snapshotEvery: 0 });
    const core = await createCore({ storage, host: 'in-process', version: 'bench' });
    const journal = (
      storage as unknown as { journal: { flushes: number; records: number; endOffset: number } }
    ).journal;
    const startRecords = journal.records;
    const startFlushes = journal.flushes;
    const startBytes = journal.endOffset;
    let acked = 0;
    let n = 0;
    const deadline = performance.now() + SECONDS * 1000;
    const started = performance.now();
    const worker = async (): Promise<void> => {
      while (performance.now() < deadline) {
        const i = n++;
        await core.call('tickets/create', {
          typeId: i % 2 ? 'device-fault' : 'citizen-request',
          title: `基准测试工单 ${i} 逆变器直流侧电压纹波超限`,
          description: '现场巡检发现告警，请尽快处理。',
          priority: (['P1', 'P2', 'P3', 'P4'] as const)[i % 4],
          businessKeys: { deviceSn: `INV-${String(i % 20000).padStart(5, '0')}` },
          domains: ['production'],
        });
        acked++;
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const elapsed = (performance.now() - started) / 1000;
    const records = journal.records - startRecords;
    const flushes = journal.flushes - startFlushes;
    const avgBytes = (journal.endOffset - startBytes) / records;
    const batch = Math.max(1, Math.round(records / flushes));
    await core.close();
    const ours = acked / elapsed;
    say(
      `store: ${acked} commands in ${elapsed.toFixed(1)} s, ${flushes} fsyncs, batch ≈ ${batch}, record ≈ ${Math.round(avgBytes)} B`,
    );

    const record = Buffer.alloc(Math.round(avgBytes), 0x61);
    const rawRate = (perFsync: number): number => {
      const fd = openSync(join(dir, `raw-${perFsync}.bin`), 'w');
      const bufs = Array.from({ length: perFsync }, () => record);
      let written = 0;
      let position = 0;
      const start = performance.now();
      while (performance.now() - start < SECONDS * 1000) {
        position += writevSync(fd, bufs, position);
        fdatasyncSync(fd);
        written += perFsync;
      }
      closeSync(fd);
      return written / ((performance.now() - start) / 1000);
    };
    const rawSingle = rawRate(1);
    const rawBatched = rawRate(batch);
    const note = `${IN_FLIGHT} commands in flight, group commit batch ≈ ${batch}, ${Math.round(avgBytes)} B per event`;
    emit({
      bench: 'store',
      metric: 'durable_commands_per_s',
      value: ours,
      unit: 'commands/s',
      baseline: rawSingle,
      note: `${note}; baseline = raw append+fdatasync of one record`,
    });
    emit({
      bench: 'store',
      metric: 'durable_commands_vs_batched_raw',
      value: ours,
      unit: 'commands/s',
      baseline: rawBatched,
      note: `${note}; baseline = raw writev+fdatasync in the same batch size`,
    });
    emit({
      bench: 'store',
      metric: 'group_commit_batch',
      value: records / flushes,
      unit: 'events/fsync',
      baseline: null,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
