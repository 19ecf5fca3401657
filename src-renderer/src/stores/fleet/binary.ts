/** Frames carry typed arrays as base64 (see the telemetry contract); these turn them back. */
export function bytesFromBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function float32FromBase64(b64: string): Float32Array {
  const bytes = bytesFromBase64(b64);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2);
}
