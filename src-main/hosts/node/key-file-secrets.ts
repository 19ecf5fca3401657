import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fstatSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { SecretsPort } from '../../core/ports';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PREFIX = 'v1:';
/** Binds every blob to this format, so a blob from another AES-GCM user of the same key fails. */
const AAD = Buffer.from('watchfloor-secret-v1');

/** `$WATCHFLOOR_KEY_FILE`, else `$XDG_CONFIG_HOME/watchfloor/secret.key`, else `~/.config/watchfloor/secret.key`. */
export function defaultKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.WATCHFLOOR_KEY_FILE) return resolve(env.WATCHFLOOR_KEY_FILE);
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'watchfloor', 'secret.key');
}

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

/** Creates the key file (0600, folder 0700) unless it exists; `wx` makes a concurrent start safe. */
function createKeyFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    if (code(err) === 'EEXIST') return;
    throw new Error(`Cannot create the secrets key file ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    writeSync(fd, `${randomBytes(KEY_BYTES).toString('base64')}\n`);
    chmodSync(file, 0o600);
  } finally {
    closeSync(fd);
  }
}

function loadKey(file: string): Buffer {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    if (code(err) !== 'ENOENT') {
      throw new Error(`Cannot open the secrets key file ${file}: ${(err as Error).message}`, { cause: err });
    }
    createKeyFile(file);
    fd = openSync(file, 'r');
  }
  try {
    const mode = fstatSync(fd).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new Error(
        `The secrets key file ${file} is readable by other users (mode ${mode.toString(8).padStart(3, '0')}); ` +
          `run: chmod 600 ${file}`,
      );
    }
    const text = readFileSync(fd, 'utf8').trim();
    const key = Buffer.from(text, 'base64');
    if (key.length !== KEY_BYTES || key.toString('base64') !== text) {
      throw new Error(
        `The secrets key file ${file} does not hold a Watchfloor key (${KEY_BYTES} bytes in base64); ` +
          'restore it from a backup, or move it away to start with a new key and enter the secrets again',
      );
    }
    return key;
  } finally {
    closeSync(fd);
  }
}

/**
 * Secrets at rest for the Node host: AES-256-GCM under a random key kept in a 0600 file outside the
 * data folder (so a copied data folder carries no usable secrets). Blobs are `v1:` + base64 of
 * iv (12) | tag (16) | ciphertext. The key is read on first use, so a key file problem makes the
 * affected connectors fail with this message instead of stopping the hub.
 */
export function keyFileSecrets(file: string = defaultKeyFile()): SecretsPort {
  const path = resolve(file);
  let key: Buffer | null = null;
  const getKey = (): Buffer => (key ??= loadKey(path));

  return {
    kind: 'key-file',
    encrypt(plain: string): string {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', getKey(), iv);
      cipher.setAAD(AAD);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    decrypt(blob: string): string {
      if (!blob.startsWith(PREFIX)) {
        const version = /^([a-z0-9]+):/i.exec(blob)?.[1];
        throw new Error(
          version
            ? `Unsupported secret format "${version}" (this version reads ${PREFIX.slice(0, -1)})`
            : 'Not an encrypted Watchfloor secret',
        );
      }
      const raw = Buffer.from(blob.slice(PREFIX.length), 'base64');
      if (raw.length < IV_BYTES + TAG_BYTES) throw new Error('The encrypted secret is truncated');
      const k = getKey();
      try {
        const decipher = createDecipheriv('aes-256-gcm', k, raw.subarray(0, IV_BYTES));
        decipher.setAAD(AAD);
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return Buffer.concat([
          decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch (err) {
        throw new Error(
          `The secret cannot be decrypted: it was altered, or encrypted with another key than ${path}`,
          { cause: err },
        );
      }
    },
  };
}
