import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startHubProcess } from './hub-process';
import { emit, percentile, say } from './report';

const RATE = Number(process.env.BENCH_RATE ?? 1_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const TICKETS = 2_000;

interface Client {
  ws: WebSocket;
  latencies: number[];
}

/**
 * Push latency: one client changes tickets at RATE per second through the hub (a separate process);
 * three clients, the writer included, receive the pushes. Latency = push received − command sent,
 * for the two clients that did not send it. Baseline: one append+fdatasync on the same disk at the
 * same pace, the floor any durable-before-push design pays.
 */
export async function benchSync(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wf-bench-sync-'));
  const hub = await startHubProcess([
    '--data-dir',
    join(dir, 'data'),
    '--rate',
    '100000',
    '--burst',
    '100000',
  ]);
  const url = hub.url.replace('http', 'ws') + 'rpc';
  const sent = new Map<number, number>();
  const clients: Client[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const ws = new WebSocket(url);
      await new Promise<void>((res, rej) => (ws.once('open', () => res()), ws.once('error', rej)));
      const c: Client = { ws, latencies: [] };
      ws.on('message', (data) => {
        const msg = JSON.parse(data.toString()) as {
          event?: string;
          payload?: { changes: { ticket: { title: string } }[] };
        };
        if (msg.event !== 'tickets/changed') return;
        const at = performance.now();
        for (const ch of msg.payload!.changes) {
          const m = /^sync-(\d+)$/.exec(ch.ticket.title);
          if (m) c.latencies.push(at - sent.get(Number(m[1]))!);
        }
      });
      clients.push(c);
    }
    const writer = clients[0]!.ws;
    const pending = new Map<number, (result: { id: string; version: number }) => void>();
    let rid = 0;
    writer.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as {
        id?: number;
        result?: { id: string; version: number };
        error?: unknown;
      };
      if (typeof msg.id !== 'number') return;
      if (msg.error) throw new Error(`command failed: ${JSON.stringify(msg.error)}`);
      pending.get(msg.id)?.(msg.result!);
      pending.delete(msg.id);
    });
    const call = (method: string, params: unknown): Promise<{ id: string; version: number }> =>
      new Promise((res) => {
        const id = ++rid;
        pending.set(id, res);
        writer.send(JSON.stringify({ id, method, params }));
      });

    say(`sync: creating ${TICKETS} tickets`);
    // In chunks: the hub caps the calls one connection may have in flight.
    const tickets: { id: string; version: number }[] = [];
    for (let i = 0; i < TICKETS; i += 200) {
      const chunk = Array.from({ length: Math.min(200, TICKETS - i) }, (_, j) =>
        call('tickets/create', { typeId: 'device-fault', title: `同步基准 ${i + j}` }),
      );
      tickets.push(...(await Promise.all(chunk)));
    }
    for (const c of clients) c.latencies.length = 0;
    const versions = tickets.map((t) => t.version);
    const busy = new Uint8Array(TICKETS);
    let n = 0;
    let skipped = 0;
    const started = performance.now();
    await new Promise<void>((done) => {
      const tick = (): void => {
        const elapsed = performance.now() - started;
        if (elapsed >= SECONDS * 1000) return done();
        const due = Math.floor((elapsed / 1000) * RATE);
        while (n < due) {
          const k = n % TICKETS;
          const seq = n++;
          if (busy[k]) {
            skipped++;
            continue;
          }
          busy[k] = 1;
          sent.set(seq, performance.now());
          void call('tickets/update', {
            id: tickets[k]!.id,
            version: versions[k],
            patch: { title: `sync-${seq}` },
          }).then((r) => {
            versions[k] = r.version;
            busy[k] = 0;
          });
        }
        // A 1 ms timer, not setImmediate: a spinning load generator would take a core from the hub.
        setTimeout(tick, 1);
      };
      tick();
    });
    await new Promise((r) => setTimeout(r, 500));
    const achieved = (n - skipped) / SECONDS;
    const others = [...clients[1]!.latencies, ...clients[2]!.latencies];
    say(
      `sync: ${n - skipped} changes at ${achieved.toFixed(0)}/s, ${others.length} pushes to the other clients, ${clients[0]!.latencies.length} to the writer`,
    );

    // Baseline: one append+fdatasync of a similar record on the same disk, at the same pace.
    const fd = openSync(join(dir, 'fsync.bin'), 'w');
    const fsyncs: number[] = [];
    const block = Buffer.alloc(900, 1);
    const rawStart = performance.now();
    await new Promise<void>((done) => {
      const step = (): void => {
        if (performance.now() - rawStart > 3_000) return done();
        const t0 = performance.now();
        writeSync(fd, block);
        fdatasyncSync(fd);
        fsyncs.push(performance.now() - t0);
        setTimeout(step, 1);
      };
      step();
    });
    closeSync(fd);
    const note = `${achieved.toFixed(0)} changes/s from one client, 3 clients connected, hub in its own process`;
    emit({
      bench: 'sync',
      metric: 'push_p50_ms',
      value: percentile(others, 50),
      unit: 'ms',
      baseline: percentile(fsyncs, 50),
      note,
    });
    emit({
      bench: 'sync',
      metric: 'push_p99_ms',
      value: percentile(others, 99),
      unit: 'ms',
      baseline: percentile(fsyncs, 99),
      note: `${note}; baseline = p99 of one append+fdatasync at the same pace`,
    });
  } finally {
    for (const c of clients) c.ws.close();
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
