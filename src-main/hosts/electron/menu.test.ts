import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { MENU_LABELS, menuTemplate } from './menu';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

describe('application menu', () => {
  it('has the wall display, reload, full screen and quit; developer tools only in development', () => {
    const openWall = vi.fn();
    const dev = flatten(menuTemplate({ openWall }, { isPackaged: false, platform: 'linux' }));
    const roles = dev.map((i) => i.role).filter(Boolean);
    expect(roles).toEqual(expect.arrayContaining(['reload', 'togglefullscreen', 'toggleDevTools', 'quit']));
    const wall = dev.find((i) => i.id === 'wall')!;
    expect(wall.label).toBe(MENU_LABELS.wall);
    (wall.click as () => void)();
    expect(openWall).toHaveBeenCalledTimes(1);

    const packaged = flatten(menuTemplate({ openWall }, { isPackaged: true, platform: 'win32' }));
    expect(packaged.map((i) => i.role)).not.toContain('toggleDevTools');
  });

  it('labels every item Chinese first, English second', () => {
    for (const platform of ['linux', 'darwin'] as const) {
      for (const item of flatten(
        menuTemplate({ openWall: () => undefined }, { isPackaged: false, platform }),
      )) {
        if (item.type === 'separator') continue;
        if (item.label === MENU_LABELS.app) continue;
        expect(item.label, JSON.stringify(item)).toMatch(/^[\u4e00-\u9fff]+ [A-Z]/);
      }
    }
  });
});
