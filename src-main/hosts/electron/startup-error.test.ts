import { describe, expect, it } from 'vitest';
import { DataFolderError } from '../../core/store/data-folder';
import { JournalCorruptError } from '../../core/store/journal';
import { describeStartupError } from './startup-error';

describe('start-up error dialog', () => {
  it('names the folder, the damage and the verify command for a corrupt journal', () => {
    const r = describeStartupError(
      new JournalCorruptError('/d/journal.wfj', 4096, 'checksum mismatch'),
      '/d',
    );
    expect(r.content).toContain('/d/journal.wfj');
    expect(r.content).toContain('4096');
    expect(r.content).toContain('checksum mismatch');
    expect(r.content).toContain('watchfloor store verify --data-dir "/d"');
  });

  it('shows the message and path of a foreign or locked data folder', () => {
    const r = describeStartupError(
      new DataFolderError('/home/op/Documents', 'it is not empty and has no watchfloor.json'),
      '/x',
    );
    expect(r.content).toContain('/home/op/Documents');
    expect(r.content).toContain('not empty');
  });

  it('falls back to the data folder and the OS error code', () => {
    const err = Object.assign(new Error('permission denied, mkdir'), { code: 'EACCES' });
    const r = describeStartupError(err, '/root/data');
    expect(r.content).toContain('/root/data');
    expect(r.content).toContain('EACCES: permission denied');
  });

  it('never advises deleting or resetting data', () => {
    for (const err of [
      new JournalCorruptError('/f', 1, 'x'),
      new DataFolderError('/d', 'y'),
      new Error('z'),
    ]) {
      const { content } = describeStartupError(err, '/d');
      expect(content).toMatch(/Nothing was changed or reset/);
      expect(content).not.toMatch(/\b(delete|remove|rm -rf)\b/i);
    }
  });
});
