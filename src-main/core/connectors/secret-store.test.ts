import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SecretsPort } from '../ports';
import { SecretStore, SecretUnavailableError } from './secret-store';

/** A reversible stand-in for the host's encryption; `key` plays the part of the key file. */
function fakePort(kind = 'fake', key = 'k1'): SecretsPort {
  return {
    kind,
    encrypt: (plain) => `${key}:${Buffer.from(plain).toString('base64')}`,
    decrypt: (blob) => {
      if (!blob.startsWith(`${key}:`)) throw new Error('wrong key');
      return Buffer.from(blob.slice(key.length + 1), 'base64').toString();
    },
  };
}

describe('SecretStore', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wf-secrets-'));
    file = join(dir, 'data', 'secrets.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stores encrypted secrets in a 0600 file and reads them back', () => {
    const store = new SecretStore(file, fakePort());
    expect(store.get('c1', 'password')).toBeNull();
    store.set('c1', 'password', 'hunter2');
    store.set('c1', 'tlsKey', '-----BEGIN PRIVATE KEY-----');
    store.set('c2', 'password', 'other');
    expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('PRIVATE KEY');
    expect(JSON.parse(text)).toMatchObject({ format: 'watchfloor-secrets', version: 1 });

    const again = new SecretStore(file, fakePort());
    expect(again.get('c1', 'password')).toBe('hunter2');
    expect(again.get('c1', 'tlsKey')).toBe('-----BEGIN PRIVATE KEY-----');
    expect(again.has('c2', 'password')).toBe(true);
    again.set('c1', 'tlsKey', null);
    again.remove('c2');
    const third = new SecretStore(file, fakePort());
    expect(third.get('c1', 'tlsKey')).toBeNull();
    expect(third.has('c2', 'password')).toBe(false);
    expect(third.get('c1', 'password')).toBe('hunter2');
    // No temp files left behind by the atomic writes.
    expect(readdirSync(join(dir, 'data'))).toEqual(['secrets.json']);
  });

  it('a missing file is an empty store, not an error', () => {
    const store = new SecretStore(join(dir, 'nowhere', 'secrets.json'), fakePort());
    expect(store.get('c1', 'password')).toBeNull();
    expect(store.has('c1', 'password')).toBe(false);
    store.remove('c1');
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });

  it('a corrupted file gives a clear error per connector; the next write keeps it aside', () => {
    new SecretStore(file, fakePort()).set('c1', 'password', 'hunter2');
    writeFileSync(file, '{"format": "watchfloor-secrets", "version": 1, "connec');
    const store = new SecretStore(file, fakePort());
    let caught: unknown;
    try {
      store.get('c1', 'password');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SecretUnavailableError);
    expect((caught as SecretUnavailableError).connectorId).toBe('c1');
    expect((caught as Error).message).toMatch(
      /The password of connector "c1" cannot be read: the secrets file .*secrets\.json is damaged \(.*\); enter it again/,
    );
    store.set('c1', 'password', 'new-one');
    expect(store.get('c1', 'password')).toBe('new-one');
    const files = readdirSync(join(dir, 'data'));
    expect(files).toContain('secrets.json');
    expect(files.some((f) => f.startsWith('secrets.json.damaged-'))).toBe(true);
  });

  it('refuses files of another format or version with a reason', () => {
    for (const [content, reason] of [
      ['[]', /not a watchfloor-secrets file|not a JSON object/],
      ['{"format":"other"}', /not a watchfloor-secrets file/],
      ['{"format":"watchfloor-secrets","version":9,"connectors":{}}', /format version 9 is not supported/],
      ['{"format":"watchfloor-secrets","version":1}', /no connectors object/],
    ] as const) {
      writeFileSync(join(dir, 's.json'), content);
      expect(() => new SecretStore(join(dir, 's.json'), fakePort()).get('c', 'password')).toThrow(reason);
    }
  });

  it('a damaged entry or a changed key fails only that connector, naming the cause', () => {
    new SecretStore(file, fakePort('key-file', 'k1')).set('c1', 'password', 'hunter2');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { connectors: Record<string, unknown> };
    doc.connectors.c2 = { password: { kind: 'key-file' } };
    writeFileSync(file, JSON.stringify(doc));

    const otherKey = new SecretStore(file, fakePort('key-file', 'k2'));
    expect(() => otherKey.get('c1', 'password')).toThrow(
      /password of connector "c1" cannot be decrypted: wrong key\. The encryption key may have changed\. Enter it again\./,
    );
    expect(() => otherKey.get('c2', 'password')).toThrow(/stored password of connector "c2" is damaged/);
    const otherHost = new SecretStore(file, fakePort('safe-storage', 'k2'));
    expect(() => otherHost.get('c1', 'password')).toThrow(
      /encrypted by "key-file" and this host uses "safe-storage"/,
    );
  });

  it('changes nothing when encryption fails', () => {
    const store = new SecretStore(file, fakePort());
    store.set('c1', 'password', 'hunter2');
    const failing = new SecretStore(file, {
      kind: 'fake',
      encrypt: () => {
        throw new Error('keyring locked');
      },
      decrypt: fakePort().decrypt,
    });
    expect(() => failing.set('c1', 'password', 'changed')).toThrow('keyring locked');
    expect(failing.get('c1', 'password')).toBe('hunter2');
  });
});
