import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { SecretsPort } from '../ports';

export type SecretName = 'password' | 'tlsKey';

const FORMAT = 'watchfloor-secrets';
const VERSION = 1;

interface StoredSecret {
  /** The SecretsPort kind that encrypted it (`key-file`, `safe-storage`), to explain a failure. */
  kind: string;
  blob: string;
}

type SecretsFile = Record<string, Partial<Record<SecretName, StoredSecret>>>;

const LABEL: Record<SecretName, string> = { password: 'password', tlsKey: 'TLS private key' };

/** A stored secret exists but cannot be used; the message names the connector and what to do. */
export class SecretUnavailableError extends Error {
  constructor(
    message: string,
    readonly connectorId: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'SecretUnavailableError';
  }
}

function isStoredSecret(v: unknown): v is StoredSecret {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as StoredSecret).kind === 'string' &&
    typeof (v as StoredSecret).blob === 'string'
  );
}

function parse(text: string): SecretsFile {
  const doc = JSON.parse(text) as unknown;
  if (typeof doc !== 'object' || doc === null) throw new Error('not a JSON object');
  const { format, version, connectors } = doc as Record<string, unknown>;
  if (format !== FORMAT) throw new Error(`not a ${FORMAT} file`);
  if (version !== VERSION) throw new Error(`format version ${String(version)} is not supported`);
  if (typeof connectors !== 'object' || connectors === null || Array.isArray(connectors)) {
    throw new Error('no connectors object');
  }
  const out: SecretsFile = Object.create(null) as SecretsFile;
  for (const [id, entry] of Object.entries(connectors)) {
    if (typeof entry === 'object' && entry !== null) out[id] = entry as SecretsFile[string];
  }
  return out;
}

/** Writes a file so that readers see the old or the new content, never a mix: temp, fsync, rename. */
export function writeFileAtomic(file: string, text: string, mode = 0o600): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', mode);
  try {
    try {
      fchmodSync(fd, mode);
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Some file systems cannot fsync a folder; the rename is still atomic.
  }
}

/**
 * Connector secrets (password, TLS private key), encrypted with the host's SecretsPort and kept in
 * one JSON file (`<data dir>/secrets.json`, mode 0600). Only `get` ever sees plain text; a blob that
 * cannot be decrypted throws a `SecretUnavailableError` for that connector, the rest keep working.
 */
export class SecretStore {
  private data: SecretsFile = Object.create(null) as SecretsFile;
  /** Why the file could not be read; every get explains it, the next write moves the file aside. */
  private damaged: string | null = null;

  constructor(
    private readonly file: string,
    private readonly port: SecretsPort,
  ) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      this.damaged = `the secrets file ${file} cannot be read: ${(err as Error).message}`;
      return;
    }
    try {
      this.data = parse(text);
    } catch (err) {
      this.damaged = `the secrets file ${file} is damaged (${(err as Error).message})`;
    }
  }

  get(connectorId: string, name: SecretName): string | null {
    if (this.damaged) {
      throw new SecretUnavailableError(
        `The ${LABEL[name]} of connector "${connectorId}" cannot be read: ${this.damaged}; enter it again`,
        connectorId,
      );
    }
    const stored = this.data[connectorId]?.[name];
    if (stored === undefined) return null;
    if (!isStoredSecret(stored)) {
      throw new SecretUnavailableError(
        `The stored ${LABEL[name]} of connector "${connectorId}" is damaged in ${this.file}; enter it again`,
        connectorId,
      );
    }
    try {
      return this.port.decrypt(stored.blob);
    } catch (err) {
      const other =
        stored.kind !== this.port.kind
          ? ` It was encrypted by "${stored.kind}" and this host uses "${this.port.kind}".`
          : ' The encryption key may have changed.';
      throw new SecretUnavailableError(
        `The stored ${LABEL[name]} of connector "${connectorId}" cannot be decrypted: ${(err as Error).message}.` +
          `${other} Enter it again.`,
        connectorId,
        { cause: err },
      );
    }
  }

  has(connectorId: string, name: SecretName): boolean {
    return this.data[connectorId]?.[name] !== undefined;
  }

  /** Stores (or, with null, deletes) a secret. Throws, changing nothing, when encrypting or writing fails. */
  set(connectorId: string, name: SecretName, value: string | null): void {
    const next = this.copy();
    const entry = { ...next[connectorId] };
    if (value === null) {
      if (entry[name] === undefined && !this.damaged) return;
      delete entry[name];
    } else {
      entry[name] = { kind: this.port.kind, blob: this.port.encrypt(value) };
    }
    if (Object.keys(entry).length === 0) delete next[connectorId];
    else next[connectorId] = entry;
    this.write(next);
  }

  remove(connectorId: string): void {
    if (this.data[connectorId] === undefined && !this.damaged) return;
    const next = this.copy();
    delete next[connectorId];
    this.write(next);
  }

  private copy(): SecretsFile {
    return Object.assign(Object.create(null) as SecretsFile, this.data);
  }

  private write(next: SecretsFile): void {
    if (this.damaged) {
      // Keep the unreadable file for whoever wants to look at it; start a fresh one.
      try {
        renameSync(this.file, `${this.file}.damaged-${Date.now()}`);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    const sorted = Object.fromEntries(Object.entries(next).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const text = JSON.stringify({ format: FORMAT, version: VERSION, connectors: sorted }, null, 2) + '\n';
    writeFileAtomic(this.file, text);
    this.data = next;
    this.damaged = null;
  }
}
