import { join } from 'node:path';
import { createCore, type Core } from '../../src-main/core/create-core';
import { silentLogger, type Clock } from '../../src-main/core/ports';
import { FileStore } from '../../src-main/core/store/file-store';
import { tempDir } from './temp-dir';

/** A real core on a fresh temporary data folder. */
export async function startCore(
  options: { clock?: Clock } = {},
): Promise<{ core: Core; dir: string; stop: () => Promise<void> }> {
  const tmp = tempDir('wf-core-');
  const dir = join(tmp.path, 'data');
  const storage = await FileStore.open({ dir, logger: silentLogger });
  const core = await createCore({
    storage,
    host: 'in-process',
    version: 'test',
    ...(options.clock && { clock: options.clock }),
  });
  return {
    core,
    dir,
    stop: async () => {
      await core.close();
      tmp.cleanup();
    },
  };
}
