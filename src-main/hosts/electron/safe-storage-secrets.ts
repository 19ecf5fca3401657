import type { SafeStorage } from 'electron';
import type { SecretsPort } from '../../core/ports';

const PREFIX = 'ss1:';

const UNAVAILABLE =
  "The operating system's secret storage is not available (Electron safeStorage), so connector passwords " +
  'cannot be stored or read. On Linux a keyring (GNOME Keyring, KWallet) must be running and unlocked.';

/**
 * Secrets at rest for the desktop app: Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet).
 * Blobs are `ss1:` + base64 of what `encryptString` returns.
 */
export function safeStorageSecrets(
  safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'>,
): SecretsPort {
  const ensureAvailable = (): void => {
    if (!safeStorage.isEncryptionAvailable()) throw new Error(UNAVAILABLE);
  };
  return {
    kind: 'safe-storage',
    encrypt(plain: string): string {
      ensureAvailable();
      return PREFIX + safeStorage.encryptString(plain).toString('base64');
    },
    decrypt(blob: string): string {
      if (!blob.startsWith(PREFIX)) {
        const version = /^([a-z0-9]+):/i.exec(blob)?.[1];
        throw new Error(
          version
            ? `Unsupported secret format "${version}" (the desktop app reads ${PREFIX.slice(0, -1)})`
            : 'Not an encrypted Watchfloor secret',
        );
      }
      ensureAvailable();
      try {
        return safeStorage.decryptString(Buffer.from(blob.slice(PREFIX.length), 'base64'));
      } catch (err) {
        throw new Error(
          'The secret cannot be decrypted by the operating system (the keyring changed or the blob was altered)',
          { cause: err },
        );
      }
    },
  };
}
