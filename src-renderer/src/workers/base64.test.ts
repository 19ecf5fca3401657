import { describe, expect, it } from 'vitest';
import { base64ToBytes, base64ToFloat32, bytesToBase64, float32ToBase64 } from './base64';

describe('worker base64', () => {
  it('round-trips float32 data, as Node encodes it, across piece boundaries', () => {
    const data = Float32Array.from({ length: 70_001 }, (_, i) => Math.sin(i) * 1e3);
    const b64 = float32ToBase64(data);
    expect(b64).toBe(Buffer.from(data.buffer).toString('base64'));
    expect([...base64ToFloat32(b64)]).toEqual([...data]);
  });

  it('encodes a view into a larger buffer, not the whole buffer', () => {
    const all = Float32Array.from([1, 2, 3, 4]);
    expect([...base64ToFloat32(float32ToBase64(all.subarray(1, 3)))]).toEqual([2, 3]);
  });

  it('refuses bytes that are not whole float32 values', () => {
    expect(() => base64ToFloat32(bytesToBase64(Uint8Array.from([1, 2, 3])))).toThrow(
      /3 bytes are not a whole number/,
    );
    expect([...base64ToBytes('AQID')]).toEqual([1, 2, 3]);
  });
});
