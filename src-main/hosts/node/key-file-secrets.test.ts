import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultKeyFile, keyFileSecrets } from './key-file-secrets';

describe('keyFileSecrets', () => {
  let dir: string;
  let keyFile: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wf-keyfile-'));
    keyFile = join(dir, 'conf', 'watchfloor', 'secret.key');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a 0600 key file in a 0700 folder on first use and round-trips secrets', () => {
    const port = keyFileSecrets(keyFile);
    expect(port.kind).toBe('key-file');
    const blob = port.encrypt('hunter2 ✓');
    expect(blob.startsWith('v1:')).toBe(true);
    expect(blob).not.toContain('hunter2');
    expect(port.encrypt('hunter2 ✓')).not.toBe(blob);
    expect(port.decrypt(blob)).toBe('hunter2 ✓');
    expect((statSync(keyFile).mode & 0o777).toString(8)).toBe('600');
    expect((statSync(join(dir, 'conf', 'watchfloor')).mode & 0o777).toString(8)).toBe('700');
    expect(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64')).toHaveLength(32);
    // A second port on the same file (the next start) reads the same key.
    expect(keyFileSecrets(keyFile).decrypt(blob)).toBe('hunter2 ✓');
  });

  it('a wrong or changed key gives a clear error naming the key file', () => {
    const blob = keyFileSecrets(keyFile).encrypt('hunter2');
    const other = join(dir, 'other.key');
    expect(() => keyFileSecrets(other).decrypt(blob)).toThrow(
      `The secret cannot be decrypted: it was altered, or encrypted with another key than ${other}`,
    );
    writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    expect(() => keyFileSecrets(keyFile).decrypt(blob)).toThrow(/encrypted with another key than/);
  });

  it('refuses a tampered, truncated or foreign blob', () => {
    const port = keyFileSecrets(keyFile);
    const raw = Buffer.from(port.encrypt('hunter2').slice(3), 'base64');
    raw[raw.length - 1]! ^= 1;
    expect(() => port.decrypt(`v1:${raw.toString('base64')}`)).toThrow(/it was altered/);
    expect(() => port.decrypt('v1:AAAA')).toThrow('The encrypted secret is truncated');
    expect(() => port.decrypt('ss1:AAAA')).toThrow('Unsupported secret format "ss1" (this version reads v1)');
    expect(() => port.decrypt('hunter2')).toThrow('Not an encrypted Watchfloor secret');
  });

  it('refuses a key file other users can read, and one that holds no key', () => {
    keyFileSecrets(keyFile).encrypt('x');
    chmodSync(keyFile, 0o644);
    expect(() => keyFileSecrets(keyFile).encrypt('x')).toThrow(
      `The secrets key file ${keyFile} is readable by other users (mode 644); run: chmod 600 ${keyFile}`,
    );
    writeFileSync(keyFile, 'not a key\n');
    chmodSync(keyFile, 0o600);
    expect(() => keyFileSecrets(keyFile).encrypt('x')).toThrow(
      /does not hold a Watchfloor key \(32 bytes in base64\)/,
    );
  });

  it('finds the key file from the environment', () => {
    expect(defaultKeyFile({ WATCHFLOOR_KEY_FILE: '/etc/wf/k' })).toBe('/etc/wf/k');
    expect(defaultKeyFile({ XDG_CONFIG_HOME: '/home/u/.cfg' })).toBe('/home/u/.cfg/watchfloor/secret.key');
    expect(defaultKeyFile({})).toMatch(/\.config\/watchfloor\/secret\.key$/);
  });
});
