import { beforeEach, describe, expect, it } from 'vitest';
import {
  type ClassifierTrainingProgress,
  coreEvents,
  ErrorCode,
  RpcError,
} from '../../src-main/shared/contract';
import type { RpcClient } from '../../src-renderer/src/rpc/client';
import { transportKinds, twoClientsPerTest } from './transports';

/**
 * `hotline/classifierProgress` reaches every client over every transport: a refused training (no
 * closed tickets) still starts with `rows` and ends with `failed`, so a console watching another
 * agent's training never keeps a progress bar that nothing will end.
 */
describe.each(transportKinds)('hotline/classifierProgress over $name', (kind) => {
  const clients = twoClientsPerTest(kind);
  let a: RpcClient;
  let b: RpcClient;
  beforeEach(() => ({ a, b } = clients));

  it('pushes the start and the end of a refused training to the other client', async () => {
    const seen: ClassifierTrainingProgress[] = [];
    const ended = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no failed progress within 5 s')), 5_000);
      const off = b.on('hotline/classifierProgress', (payload) => {
        seen.push(coreEvents['hotline/classifierProgress'].parse(payload));
        if (payload.phase === 'failed') {
          clearTimeout(timer);
          off();
          resolve();
        }
      });
    });
    const err = await a.call('hotline/trainClassifier', {}).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RpcError);
    expect((err as RpcError).code).toBe(ErrorCode.InvalidArgument);
    await ended;
    expect(seen.map((p) => p.phase)).toEqual(['rows', 'failed']);
    expect(seen[0]).toMatchObject({ fold: 0, folds: 5, stage: null, fraction: 0 });
    expect(seen[1]!.startedAt).toBe(seen[0]!.startedAt);
  });
});
