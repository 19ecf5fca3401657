import { describe, expect, it } from 'vitest';
import { safeStorageSecrets } from './safe-storage-secrets';

/** Electron's safeStorage as far as the port uses it; "encryption" is a reversible XOR. */
function fakeSafeStorage() {
  const fake = {
    available: true,
    isEncryptionAvailable: () => fake.available,
    encryptString: (plain: string) => Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)),
    decryptString: (data: Buffer) => {
      if (data[0] === 0)
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(data.map((b) => b ^ 0x5a)).toString('utf8');
    },
  };
  return fake;
}

describe('safeStorageSecrets', () => {
  it('round-trips secrets through safeStorage as ss1: blobs', () => {
    const port = safeStorageSecrets(fakeSafeStorage());
    expect(port.kind).toBe('safe-storage');
    const blob = port.encrypt('hunter2 ✓');
    expect(blob.startsWith('ss1:')).toBe(true);
    expect(blob).not.toContain('hunter2');
    expect(port.decrypt(blob)).toBe('hunter2 ✓');
  });

  it('unavailable encryption is a clear error, for storing and for reading', () => {
    const fake = fakeSafeStorage();
    const port = safeStorageSecrets(fake);
    const blob = port.encrypt('hunter2');
    fake.available = false;
    expect(() => port.encrypt('x')).toThrow(/secret storage is not available \(Electron safeStorage\)/);
    expect(() => port.decrypt(blob)).toThrow(
      /a keyring \(GNOME Keyring, KWallet\) must be running and unlocked/,
    );
  });

  it('a blob the OS cannot decrypt, or of another format, is a clear error', () => {
    const port = safeStorageSecrets(fakeSafeStorage());
    expect(() => port.decrypt(`ss1:${Buffer.from([0, 1, 2]).toString('base64')}`)).toThrow(
      'The secret cannot be decrypted by the operating system (the keyring changed or the blob was altered)',
    );
    expect(() => port.decrypt('v1:AAAA')).toThrow(
      'Unsupported secret format "v1" (the desktop app reads ss1)',
    );
    expect(() => port.decrypt('plain')).toThrow('Not an encrypted Watchfloor secret');
  });
});
