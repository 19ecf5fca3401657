import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { ulid } from 'ulid';
import { FILE_HEADER_BYTES, encodeFileHeader } from './record-codec';

/**
 * A data folder is recognised by its manifest. A folder with other content and no manifest, or a
 * manifest of another format, is refused with a clear error: a wrong path must never be "reset".
 */
export const MANIFEST = 'watchfloor.json';
export const JOURNAL = 'journal.wfj';
export const SNAPSHOTS = 'snapshots';
const LOCK = 'watchfloor.lock';
const MANIFEST_TMP = `${MANIFEST}.tmp`;
const FORMAT = 'watchfloor-data';
const FORMAT_VERSION = 1;
/** What an initialisation leaves before its manifest appears; a folder with only these can be initialised again. */
const INIT_ARTIFACTS = new Set([LOCK, MANIFEST_TMP, JOURNAL, SNAPSHOTS]);

export interface Manifest {
  format: typeof FORMAT;
  formatVersion: number;
  storeId: string;
  createdAt: string;
}

export class DataFolderError extends Error {
  constructor(
    readonly dir: string,
    message: string,
  ) {
    super(`data folder ${dir}: ${message}`);
    this.name = 'DataFolderError';
  }
}

function parseManifest(dir: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));
  } catch (err) {
    throw new DataFolderError(dir, `${MANIFEST} is unreadable (${(err as Error).message}); not opening it`);
  }
  const m = raw as Partial<Manifest>;
  if (m.format !== FORMAT) {
    throw new DataFolderError(dir, `${MANIFEST} is not a Watchfloor manifest (format ${String(m.format)})`);
  }
  if (m.formatVersion !== FORMAT_VERSION) {
    throw new DataFolderError(
      dir,
      `data format version ${String(m.formatVersion)} is not supported by this build (it reads version ${FORMAT_VERSION})`,
    );
  }
  if (typeof m.storeId !== 'string') throw new DataFolderError(dir, `${MANIFEST} has no storeId`);
  return m as Manifest;
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export interface OpenedFolder {
  manifest: Manifest;
  /** True when this call created the folder's content (a new store to seed). */
  created: boolean;
  release(): void;
}

/**
 * Opens or initialises a data folder and takes its lock (one writer per folder). Initialisation
 * writes the journal header first and the manifest last (temp file, fsync, rename, folder fsync),
 * so a crash part-way leaves a folder that the next start initialises again.
 */
export function openDataFolder(dir: string, options: { create: boolean }): OpenedFolder {
  const hasManifest = existsSync(join(dir, MANIFEST));
  if (!hasManifest) {
    const entries = existsSync(dir) ? readdirSync(dir).filter((n) => !n.startsWith('.')) : [];
    const foreign = entries.filter((n) => !INIT_ARTIFACTS.has(n));
    if (foreign.length > 0) {
      throw new DataFolderError(
        dir,
        `it is not empty and has no ${MANIFEST}, so it is not a Watchfloor data folder (found: ${foreign.slice(0, 5).join(', ')}). ` +
          'Choose an empty or new folder; nothing was changed.',
      );
    }
    if (!options.create) throw new DataFolderError(dir, 'it does not exist or is empty');
    mkdirSync(dir, { recursive: true });
  }
  const release = acquireLock(dir);
  try {
    let created = false;
    if (!existsSync(join(dir, MANIFEST))) {
      initialise(dir);
      created = true;
    }
    const manifest = parseManifest(dir);
    mkdirSync(join(dir, SNAPSHOTS), { recursive: true });
    return { manifest, created, release };
  } catch (err) {
    release();
    throw err;
  }
}

function initialise(dir: string): void {
  const journal = join(dir, JOURNAL);
  if (existsSync(journal)) {
    // Left by an initialisation that did not finish; more than a header would be real data.
    if (statSync(journal).size > FILE_HEADER_BYTES) {
      throw new DataFolderError(
        dir,
        `${JOURNAL} holds data but ${MANIFEST} is missing; restore the manifest from a backup`,
      );
    }
    unlinkSync(journal);
  }
  mkdirSync(join(dir, SNAPSHOTS), { recursive: true });
  const fd = openSync(journal, 'wx');
  try {
    writeSync(fd, encodeFileHeader(), 0, FILE_HEADER_BYTES, 0);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  const manifest: Manifest = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    storeId: ulid(),
    createdAt: new Date().toISOString(),
  };
  const tmp = join(dir, MANIFEST_TMP);
  writeFileSync(tmp, JSON.stringify(manifest, null, 2) + '\n');
  fsyncPath(tmp);
  renameSync(tmp, join(dir, MANIFEST));
  fsyncPath(dir);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPid(file: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isFinite(pid) ? pid : null;
  } catch {
    return null;
  }
}

/** The pid of a live process holding the folder's lock, or null. */
export function lockHolder(dir: string): number | null {
  const pid = readPid(join(dir, LOCK));
  return pid !== null && pidAlive(pid) ? pid : null;
}

/** Folders locked by this process: the pid in the lock file cannot tell two stores of one process apart. */
const heldHere = new Set<string>();

/**
 * Creates the lock with its content in one step: the pid is written to a private file which is
 * then hard-linked to the lock name, so nobody ever reads a lock without its pid.
 */
function tryCreateLock(file: string): boolean {
  const tmp = `${file}.${process.pid}.${ulid()}`;
  writeFileSync(tmp, `${process.pid}\n`);
  try {
    linkSync(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}

function acquireLock(dir: string): () => void {
  const key = resolve(dir);
  if (heldHere.has(key)) throw new DataFolderError(dir, 'it is already open in this process');
  const file = join(dir, LOCK);
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreateLock(file)) {
      heldHere.add(key);
      return () => {
        heldHere.delete(key);
        // Only our own lock: a folder moved or re-initialised meanwhile has someone else's.
        if (readPid(file) === process.pid) unlinkSync(file);
      };
    }
    const pid = readPid(file);
    if (pid !== null && pid !== process.pid && pidAlive(pid)) {
      throw new DataFolderError(dir, `it is in use by another Watchfloor process (pid ${pid})`);
    }
    // A stale lock. Move it aside under a private name and check it is the one we judged stale:
    // if a competitor replaced it in between, put theirs back and try again.
    const aside = `${file}.stale.${process.pid}.${ulid()}`;
    try {
      renameSync(file, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    const moved = readPid(aside);
    if (moved !== pid) {
      try {
        linkSync(aside, file);
      } catch {
        // Someone holds a new lock already; ours to drop is only the moved copy.
      }
    }
    unlinkSync(aside);
  }
  throw new DataFolderError(dir, 'could not take the folder lock (another process keeps taking it)');
}

/** Reads the manifest without locking, for read-only tools such as `store verify`. */
export function readManifest(dir: string): Manifest {
  if (!existsSync(join(dir, MANIFEST)))
    throw new DataFolderError(dir, `no ${MANIFEST}: not a Watchfloor data folder`);
  return parseManifest(dir);
}
