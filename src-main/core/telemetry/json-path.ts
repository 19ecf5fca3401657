export type Getter = (value: unknown) => unknown;

/**
 * Compiles `$.a.b[2]` into a getter once per mapping, so the hot path walks keys without parsing
 * the path again. A missing step yields undefined, never an exception.
 */
export function compileJsonPath(path: string): Getter {
  const steps: (string | number)[] = [];
  const re = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g;
  for (let m = re.exec(path); m; m = re.exec(path)) steps.push(m[1] !== undefined ? m[1] : Number(m[2]));
  if (steps.length === 0) return (v) => v;
  return (value) => {
    let v = value;
    for (const step of steps) {
      if (v === null || typeof v !== 'object') return undefined;
      v = (v as Record<string | number, unknown>)[step];
    }
    return v;
  };
}

/** `$.key` → `key`; null for any other path (nested or indexed), which needs the parsed object. */
export function flatKeyOf(path: string): string | null {
  return /^\$\.[A-Za-z_][A-Za-z0-9_]*$/.test(path) ? path.slice(2) : null;
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * Reads chosen top-level keys of a flat JSON object straight from the payload bytes, without
 * JSON.parse: no string for the whole payload, no object, no garbage for numbers. Telemetry is
 * mostly `{"ts":…,"ripple":…,…}`, and JSON.parse plus its object was the largest cost per message.
 *
 * It accepts only what it fully understood, which is always valid JSON; anything else (nested
 * values, escapes in strings, exponents in very long numbers, invalid JSON) returns false and the
 * caller falls back to JSON.parse, so results and refusal reasons are the same either way.
 * Numbers of up to 15 significant digits are built as integer / 10^k, which IEEE division rounds
 * exactly as JSON.parse does; longer ones and exponents go through Number().
 */
export class FlatScanner {
  private readonly codes: Uint8Array[];
  private readonly hashes: Int32Array;

  constructor(readonly keys: readonly string[]) {
    this.codes = keys.map((k) => Buffer.from(k, 'latin1'));
    this.hashes = Int32Array.from(this.codes, (c) => {
      let h = 0;
      for (const b of c) h = (Math.imul(h, 31) + b) | 0;
      return h;
    });
  }

  private keyIndex(buf: Uint8Array, start: number, end: number, hash: number): number {
    const len = end - start;
    for (let k = 0; k < this.codes.length; k++) {
      if (this.hashes[k] !== hash) continue;
      const code = this.codes[k]!;
      if (code.length !== len) continue;
      let same = true;
      for (let j = 0; j < len; j++) {
        if (code[j] !== buf[start + j]) {
          same = false;
          break;
        }
      }
      if (same) return k;
    }
    return -1;
  }

  /** Fills `out[k]` with the value of `keys[k]` (undefined when absent); false = use JSON.parse. */
  scan(buf: Buffer, out: unknown[]): boolean {
    const n = buf.length;
    for (let k = 0; k < out.length; k++) out[k] = undefined;
    let i = 0;
    let b = 0;
    while (i < n && ((b = buf[i]!) === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) i++;
    if (i >= n || buf[i] !== 0x7b) return false;
    i++;
    while (i < n && ((b = buf[i]!) === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) i++;
    if (i < n && buf[i] === 0x7d) {
      i++;
    } else {
      for (;;) {
        // "key"
        if (i >= n || buf[i] !== 0x22) return false;
        const ks = ++i;
        let hash = 0;
        while (i < n && (b = buf[i]!) !== 0x22) {
          if (b === 0x5c || b < 0x20) return false;
          hash = (Math.imul(hash, 31) + b) | 0;
          i++;
        }
        if (i >= n) return false;
        const slot = this.keyIndex(buf, ks, i, hash);
        i++;
        while (i < n && ((b = buf[i]!) === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) i++;
        if (i >= n || buf[i] !== 0x3a) return false;
        i++;
        while (i < n && ((b = buf[i]!) === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) i++;
        if (i >= n) return false;
        b = buf[i]!;
        // value
        if (b === 0x2d || (b >= 0x30 && b <= 0x39)) {
          const vs = i;
          const neg = b === 0x2d;
          if (neg) i++;
          let m = 0;
          let digits = 0;
          let scale = 0;
          let slow = false;
          if (i < n && buf[i] === 0x30) {
            i++;
          } else {
            if (i >= n || (b = buf[i]!) < 0x31 || b > 0x39) return false;
            while (i < n && (b = buf[i]!) >= 0x30 && b <= 0x39) {
              m = m * 10 + (b - 0x30);
              digits++;
              i++;
            }
          }
          if (i < n && buf[i] === 0x2e) {
            i++;
            if (i >= n || (b = buf[i]!) < 0x30 || b > 0x39) return false;
            while (i < n && (b = buf[i]!) >= 0x30 && b <= 0x39) {
              m = m * 10 + (b - 0x30);
              digits++;
              scale++;
              i++;
            }
          }
          if (i < n && ((b = buf[i]!) === 0x65 || b === 0x45)) {
            slow = true;
            i++;
            if (i < n && ((b = buf[i]!) === 0x2b || b === 0x2d)) i++;
            if (i >= n || (b = buf[i]!) < 0x30 || b > 0x39) return false;
            while (i < n && (b = buf[i]!) >= 0x30 && b <= 0x39) i++;
          }
          if (slot >= 0) {
            if (slow || digits > 15) out[slot] = Number(buf.toString('latin1', vs, i));
            else {
              const v = scale === 0 ? m : m / POW10[scale]!;
              out[slot] = neg ? -v : v;
            }
          }
        } else if (b === 0x22) {
          const vs = ++i;
          while (i < n && (b = buf[i]!) !== 0x22) {
            if (b === 0x5c || b < 0x20) return false;
            i++;
          }
          if (i >= n) return false;
          if (slot >= 0) out[slot] = buf.toString('utf8', vs, i);
          i++;
        } else if (b === 0x74) {
          if (buf[i + 1] !== 0x72 || buf[i + 2] !== 0x75 || buf[i + 3] !== 0x65) return false;
          i += 4;
          if (slot >= 0) out[slot] = true;
        } else if (b === 0x66) {
          if (buf[i + 1] !== 0x61 || buf[i + 2] !== 0x6c || buf[i + 3] !== 0x73 || buf[i + 4] !== 0x65)
            return false;
          i += 5;
          if (slot >= 0) out[slot] = false;
        } else if (b === 0x6e) {
          if (buf[i + 1] !== 0x75 || buf[i + 2] !== 0x6c || buf[i + 3] !== 0x6c) return false;
          i += 4;
          if (slot >= 0) out[slot] = null;
        } else {
          // Nested objects and arrays, or not JSON at all: JSON.parse decides.
          return false;
        }
        while (i < n && ((b = buf[i]!) === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) i++;
        if (i >= n) return false;
        b = buf[i]!;
        i++;
        if (b === 0x7d) break;
        if (b !== 0x2c) return false;
        while (i < n && ((b = buf[i]!) === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) i++;
      }
    }
    while (i < n && ((b = buf[i]!) === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) i++;
    return i === n;
  }
}
