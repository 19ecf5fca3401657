/**
 * Base64 of float32 data for the RPC payloads (the worker does this, never the UI thread). Native
 * `Uint8Array.fromBase64` / `toBase64` where the engine has them (several times faster on a
 * 23 MB job), else `atob`/`btoa` in pieces small enough for `String.fromCharCode`.
 */
const PIECE = 0x8000;

interface NativeBase64 {
  fromBase64?: (s: string) => Uint8Array;
}
const native = Uint8Array as unknown as NativeBase64;

export function bytesToBase64(bytes: Uint8Array): string {
  const own = (bytes as unknown as { toBase64?: () => string }).toBase64;
  if (typeof own === 'function') return own.call(bytes);
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += PIECE)
    parts.push(String.fromCharCode.apply(null, bytes.subarray(i, i + PIECE) as unknown as number[]));
  return btoa(parts.join(''));
}

export function base64ToBytes(b64: string): Uint8Array {
  if (typeof native.fromBase64 === 'function') return native.fromBase64(b64);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Float32 values from base64; the bytes must be a whole number of floats. */
export function base64ToFloat32(b64: string): Float32Array {
  const bytes = base64ToBytes(b64);
  if (bytes.length % 4 !== 0)
    throw new Error(`${bytes.length} bytes are not a whole number of float32 values`);
  return bytes.byteOffset % 4 === 0
    ? new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4)
    : new Float32Array(bytes.slice().buffer);
}

export function float32ToBase64(data: Float32Array): string {
  return bytesToBase64(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}
