import { randomFillSync } from 'node:crypto';

/**
 * Cryptographic randomness for ULIDs, drawn 4 KiB at a time. The `ulid` package's default draws
 * one `randomBytes` call per character (16 per id), which showed up as 5% of command CPU.
 */
export function bufferedCryptoPrng(): () => number {
  const pool = new Uint8Array(4096);
  let at = pool.length;
  return () => {
    if (at >= pool.length) {
      randomFillSync(pool);
      at = 0;
    }
    return pool[at++]! / 256;
  };
}
