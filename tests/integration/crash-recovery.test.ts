import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/core/create-core';
import { silentLogger } from '../../src-main/core/ports';
import { FileStore } from '../../src-main/core/store/file-store';
import { verifyDataFolder } from '../../src-main/core/store/verify';
import { tempDir } from '../helpers/temp-dir';

interface Ack {
  op: 'create' | 'comment';
  id: string;
  version: number;
  marker: string;
}

const ROUNDS = 20;
const writer = join(__dirname, '..', 'fixtures', 'crash-writer.ts');

/** Runs the writer until it has acknowledged `killAfter` commands, then SIGKILLs it mid-storm. */
function runAndKill(dir: string, round: number, killAfter: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dir, String(round)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: Ack[] = [];
    let buffer = '';
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const parts = line.split(' ');
        if (parts[0] === 'ACK') {
          acks.push({
            op: parts[1] as Ack['op'],
            id: parts[2]!,
            version: Number(parts[3]),
            marker: parts[4]!,
          });
          if (!killed && acks.length >= killAfter) {
            killed = true;
            child.kill('SIGKILL');
          }
        }
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acks);
      else reject(new Error(`writer exited with ${code}/${signal} before the kill: ${stderr}`));
    });
  });
}

/**
 * SIGKILL keeps the page cache, so this test proves the recovery path (snapshots, replay, locks,
 * concurrent commands) across real process deaths; that nothing is acknowledged before its fsync is
 * proved separately with a held and a failing fsync (src-main/core/store/journal.test.ts,
 * file-store.test.ts).
 */
describe('crash recovery', () => {
  const dir = tempDir('wf-crash-');
  afterAll(() => dir.cleanup());

  it(`keeps every acknowledged command across ${ROUNDS} SIGKILLs in the middle of a write storm`, async () => {
    const data = join(dir.path, 'data');
    const expected = new Map<string, { version: number; markers: Set<string> }>();
    let totalAcks = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      // Kill at a different point each round: sometimes early, sometimes deep into the storm.
      const killAfter = 50 + ((round * 7919) % 900);
      const acks = await runAndKill(data, round, killAfter);
      totalAcks += acks.length;
      for (const a of acks) {
        const e = expected.get(a.id) ?? { version: 0, markers: new Set<string>() };
        e.version = Math.max(e.version, a.version);
        if (a.op === 'comment') e.markers.add(a.marker);
        expected.set(a.id, e);
      }
      expect(acks.length).toBeGreaterThanOrEqual(killAfter);
    }

    const report = verifyDataFolder(data);
    expect(report.journal.stop.kind === 'clean' || report.journal.stop.kind === 'torn-tail').toBe(true);
    const storage = await FileStore.open({ dir: data, logger: silentLogger });
    const core = await createCore({ storage, host: 'in-process', version: 'test' });
    try {
      let missing = 0;
      for (const [id, e] of expected) {
        const t = (await core.call('tickets/get', { id }).catch(() => null)) as {
          version: number;
          comments: { body: string }[];
        } | null;
        if (!t || t.version < e.version) {
          missing++;
          continue;
        }
        const bodies = new Set(t.comments.map((c) => c.body));
        for (const m of e.markers) if (!bodies.has(m)) missing++;
      }
      expect(missing).toBe(0);
      expect(expected.size).toBeGreaterThan(ROUNDS * 10);
      console.info(
        `crash test: ${ROUNDS} kills, ${totalAcks} acknowledged commands, ${expected.size} tickets`,
      );
    } finally {
      await core.close();
    }
  }, 240_000);
});
