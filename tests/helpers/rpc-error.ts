import { expect } from 'vitest';
import { RpcError } from '../../src-main/shared/contract';

/** Awaits `p`, expects it to reject with an RpcError of `code`, and returns that error. */
export async function fails(p: Promise<unknown>, code: string): Promise<RpcError> {
  const err = await p.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RpcError);
  expect((err as RpcError).code).toBe(code);
  return err as RpcError;
}
