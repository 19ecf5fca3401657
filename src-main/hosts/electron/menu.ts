import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  openWall(): void;
}

export interface MenuOptions {
  isPackaged: boolean;
  platform: NodeJS.Platform;
}

/** Native menu labels: Chinese first, English second (the native menu is not run through i18n). */
export const MENU_LABELS = {
  app: 'Watchfloor',
  file: '文件 File',
  view: '视图 View',
  wall: '墙面显示 Wall display',
  reload: '重新加载 Reload',
  fullscreen: '切换全屏 Toggle full screen',
  devTools: '开发者工具 Developer tools',
  quit: '退出 Quit',
  edit: '编辑 Edit',
  undo: '撤销 Undo',
  redo: '重做 Redo',
  cut: '剪切 Cut',
  copy: '复制 Copy',
  paste: '粘贴 Paste',
  selectAll: '全选 Select all',
} as const;

/**
 * The application menu as data, so a test can read it without Electron: View → wall display, reload,
 * full screen, developer tools (development builds only); Quit. Roles give the platform's behaviour
 * and accelerators.
 */
export function menuTemplate(actions: MenuActions, options: MenuOptions): MenuItemConstructorOptions[] {
  const quit: MenuItemConstructorOptions = { label: MENU_LABELS.quit, role: 'quit' };
  const view: MenuItemConstructorOptions = {
    label: MENU_LABELS.view,
    submenu: [
      {
        id: 'wall',
        label: MENU_LABELS.wall,
        accelerator: 'CmdOrCtrl+Shift+L',
        click: () => actions.openWall(),
      },
      { type: 'separator' },
      { label: MENU_LABELS.reload, role: 'reload' },
      { label: MENU_LABELS.fullscreen, role: 'togglefullscreen' },
      ...(options.isPackaged ? [] : [{ label: MENU_LABELS.devTools, role: 'toggleDevTools' } as const]),
    ],
  };
  if (options.platform === 'darwin') {
    // macOS routes copy/paste shortcuts through the menu, so it needs an Edit menu.
    const edit: MenuItemConstructorOptions = {
      label: MENU_LABELS.edit,
      submenu: [
        { label: MENU_LABELS.undo, role: 'undo' },
        { label: MENU_LABELS.redo, role: 'redo' },
        { type: 'separator' },
        { label: MENU_LABELS.cut, role: 'cut' },
        { label: MENU_LABELS.copy, role: 'copy' },
        { label: MENU_LABELS.paste, role: 'paste' },
        { label: MENU_LABELS.selectAll, role: 'selectAll' },
      ],
    };
    return [{ label: MENU_LABELS.app, submenu: [quit] }, edit, view];
  }
  return [{ label: MENU_LABELS.file, submenu: [quit] }, view];
}
