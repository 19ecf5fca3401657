import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDirFor, demoEnabled, parseArgs } from './args';

describe('launch arguments', () => {
  it('reads --wall and --demo among Electron and Chromium switches', () => {
    expect(parseArgs(['/usr/bin/watchfloor'])).toEqual({ wall: false, demo: false });
    expect(
      parseArgs(['/usr/lib/electron', '.', '--no-sandbox', '--wall', '--enable-logging=stderr']),
    ).toEqual({
      wall: true,
      demo: false,
    });
    expect(parseArgs(['watchfloor', '--demo', 'wall'])).toEqual({ wall: false, demo: true });
  });

  it('turns demo mode on by flag or WATCHFLOOR_DEMO=1', () => {
    expect(demoEnabled({ wall: false, demo: true }, {})).toBe(true);
    expect(demoEnabled({ wall: false, demo: false }, { WATCHFLOOR_DEMO: '1' })).toBe(true);
    expect(demoEnabled({ wall: false, demo: false }, { WATCHFLOOR_DEMO: '0' })).toBe(false);
    expect(demoEnabled({ wall: false, demo: false }, {})).toBe(false);
  });

  it('keeps data in <userData>/data unless WATCHFLOOR_DATA_DIR says otherwise', () => {
    expect(dataDirFor('/home/op/.config/Watchfloor', {})).toBe(join('/home/op/.config/Watchfloor', 'data'));
    expect(dataDirFor('/home/op/.config/Watchfloor', { WATCHFLOOR_DATA_DIR: '/srv/wf' })).toBe('/srv/wf');
    expect(dataDirFor('/u', { WATCHFLOOR_DATA_DIR: '  ' })).toBe(join('/u', 'data'));
  });
});
