import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { DomainEvent } from '../events';
import { JOURNAL, SNAPSHOTS, readManifest, type Manifest } from './data-folder';
import { scanJournal, type ScanStop } from './journal';
import { FILE_HEADER_BYTES, checkFileHeader } from './record-codec';
import { checkSnapshots, type SnapshotCheck } from './snapshot';

export interface VerifyReport {
  dir: string;
  ok: boolean;
  manifest: Manifest | null;
  journal: {
    bytes: number;
    records: number;
    /** Where the scan stopped and why; `clean` when every byte is accounted for. */
    stop: ScanStop | { kind: 'unreadable'; reason: string };
    /** Offset of the last good record, so the damage can be located. */
    lastGoodOffset: number | null;
    /** Intact records found after damage in the middle: acknowledged data a truncation would lose. */
    recordsAfterDamage: number;
    eventTypes: Record<string, number>;
    tickets: number;
  };
  snapshots: SnapshotCheck[];
  /** Logical problems in records that pass their checksum (e.g. version gaps). */
  problems: string[];
  /** Plain-language explanation and what to do, one line per item. */
  advice: string[];
}

/**
 * Reads a data folder without changing it: every journal record is checksummed and decoded, every
 * ticket's versions are checked for gaps, every snapshot's checksum is verified.
 */
export function verifyDataFolder(dir: string): VerifyReport {
  const report: VerifyReport = {
    dir,
    ok: false,
    manifest: null,
    journal: {
      bytes: 0,
      records: 0,
      stop: { kind: 'clean' },
      lastGoodOffset: null,
      recordsAfterDamage: 0,
      eventTypes: {},
      tickets: 0,
    },
    snapshots: [],
    problems: [],
    advice: [],
  };
  try {
    report.manifest = readManifest(dir);
  } catch (err) {
    report.problems.push((err as Error).message);
    report.advice.push('This folder is not a Watchfloor data folder. Check the path; nothing was changed.');
    return report;
  }
  const file = join(dir, JOURNAL);
  if (!existsSync(file)) {
    report.journal.stop = { kind: 'unreadable', reason: `${JOURNAL} is missing` };
    report.advice.push(
      `The journal ${file} is missing. Restore it from a backup; snapshots alone do not hold history.`,
    );
    return report;
  }
  const fd = openSync(file, 'r');
  try {
    report.journal.bytes = fstatSync(fd).size;
    const header = Buffer.alloc(FILE_HEADER_BYTES);
    readSync(fd, header, 0, FILE_HEADER_BYTES, 0);
    const check = checkFileHeader(header);
    if (!check.ok) {
      report.journal.stop = { kind: 'unreadable', reason: check.reason };
      report.advice.push(`The journal header is damaged (${check.reason}). Restore ${file} from a backup.`);
      return report;
    }
    const versions = new Map<string, number>();
    const { stop } = scanJournal(fd, FILE_HEADER_BYTES, (r) => {
      report.journal.records++;
      report.journal.lastGoodOffset = r.offset;
      let e: DomainEvent;
      try {
        e = JSON.parse(r.payload.toString('utf8')) as DomainEvent;
      } catch {
        report.problems.push(`record at offset ${r.offset} passes its checksum but is not JSON`);
        return;
      }
      report.journal.eventTypes[e.type] = (report.journal.eventTypes[e.type] ?? 0) + 1;
      if (e.type === 'ticket.created') {
        if (versions.has(e.ticket.id))
          report.problems.push(`ticket ${e.ticket.id} is created twice (offset ${r.offset})`);
        versions.set(e.ticket.id, e.ticket.version);
      } else if (e.type === 'ticket.changed') {
        const v = versions.get(e.id);
        if (v === undefined) report.problems.push(`offset ${r.offset}: change of unknown ticket ${e.id}`);
        else if (e.version !== v + 1)
          report.problems.push(`offset ${r.offset}: ticket ${e.id} jumps from version ${v} to ${e.version}`);
        versions.set(e.id, e.version);
      }
    });
    report.journal.stop = stop;
    report.journal.tickets = versions.size;
    // Count what lies beyond the damage (further damage included), so the operator knows what is at stake.
    for (let next = stop.kind === 'corrupt' ? stop.resumeAt : null; next !== null;) {
      const rest = scanJournal(fd, next, () => report.journal.recordsAfterDamage++);
      next = rest.stop.kind === 'corrupt' ? rest.stop.resumeAt : null;
    }
  } finally {
    closeSync(fd);
  }
  report.snapshots = checkSnapshots(join(dir, SNAPSHOTS));

  const stop = report.journal.stop;
  if (stop.kind === 'torn-tail') {
    report.advice.push(
      `The last ${stop.bytes} bytes (from offset ${stop.offset}) are an incomplete write: ${stop.reason}. ` +
        'This is what a crash or power loss during a write leaves. It was never acknowledged; ' +
        'the next start truncates it automatically and reports it.',
    );
  } else if (stop.kind === 'corrupt') {
    report.advice.push(
      `Damage in the middle of the journal at byte offset ${stop.offset}: ${stop.reason}. ` +
        `${report.journal.records} records before it are intact (the last good one starts at ${report.journal.lastGoodOffset ?? 'none'}), ` +
        `and ${report.journal.recordsAfterDamage} intact records follow it. ` +
        'Those are acknowledged data, so Watchfloor refuses to start rather than drop them. ' +
        'Restore journal.wfj from a backup (or a replica), then run `watchfloor store verify` again.',
    );
  }
  for (const s of report.snapshots) {
    if (!s.ok)
      report.advice.push(
        `Snapshot ${s.file} is damaged (${s.reason}); it will be skipped, start-up replays the journal instead.`,
      );
  }
  // A torn tail is the normal trace of a crash mid-write and is repaired on start; it is not damage.
  report.ok =
    (stop.kind === 'clean' || stop.kind === 'torn-tail') &&
    report.problems.length === 0 &&
    report.snapshots.every((s) => s.ok);
  if (report.ok) report.advice.push('Everything checks out.');
  return report;
}
