/**
 * Stateless randomness for the simulator: every value is a hash of (key, position), so a sample
 * depends only on the seed, the device and the simulated time — never on how often or in which
 * order the simulator was asked. That keeps runs reproducible when reports are skipped under
 * load and lets tests probe any instant directly.
 *
 * Only 32-bit integer arithmetic feeds the hashes, so results are the same on every platform.
 */

/** The murmur3/lowbias32 finaliser: good avalanche for a few multiplications. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of a key and a 32-bit integer position. */
export function hash2(key: number, x: number): number {
  return fmix((Math.imul(key, 0x9e3779b1) ^ fmix((x ^ 0x85ebca6b) >>> 0)) >>> 0);
}

/** Hash of a key and an integer that may exceed 32 bits (epoch milliseconds). */
export function hashTime(key: number, t: number): number {
  const hi = Math.floor(t / 4294967296);
  return hash2(hash2(key, t >>> 0), hi);
}

/** FNV-1a, the same function as the demo generator's `hash32`, for names and serial numbers. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Uniform in [0, 1) from a hash. */
export function unit(h: number): number {
  return h / 4294967296;
}

/**
 * Approximately standard normal from one hash: the sum of its four bytes (Irwin–Hall). It is
 * bounded at ±3.46σ, which suits sensor noise: no freak outliers that would trip a threshold on a
 * healthy device.
 */
export function gauss(h: number): number {
  return ((h & 255) + ((h >>> 8) & 255) + ((h >>> 16) & 255) + (h >>> 24) - 510) / 147.8;
}

/** Smooth 1-D value noise in [0, 1): random knots at integer x, smoothstep between them. */
export function valueNoise(key: number, x: number): number {
  const i = Math.floor(x);
  const f = x - i;
  const a = unit(hash2(key, i));
  const b = unit(hash2(key, i + 1));
  return a + (b - a) * (f * f * (3 - 2 * f));
}
