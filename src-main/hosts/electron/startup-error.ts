import { DataFolderError } from '../../core/store/data-folder';
import { JournalCorruptError } from '../../core/store/journal';

export interface StartupErrorReport {
  title: string;
  /** Body of the native error box: what happened, where, and what to do — data is never reset. */
  content: string;
}

/**
 * Turns a start-up failure into the text of a native error dialog. The data folder is named in
 * every case; the advice never suggests deleting it.
 */
export function describeStartupError(err: unknown, dataDir: string): StartupErrorReport {
  const title = 'Watchfloor 无法启动 Cannot start';
  const keep =
    '数据未被修改，也不会被重置。请检查该文件夹，或用 WATCHFLOOR_DATA_DIR 指定另一个文件夹后重新启动。\n' +
    'Nothing was changed or reset. Check the folder, or start with WATCHFLOOR_DATA_DIR set to another folder.';
  if (err instanceof JournalCorruptError) {
    return {
      title,
      content: [
        '数据日志已损坏，启动已停止以免丢失数据。',
        'The data journal is damaged; start-up stopped so nothing is lost.',
        '',
        `文件 File: ${err.file}`,
        `位置 Offset: ${err.offset}`,
        `原因 Reason: ${err.reason}`,
        '',
        `完整报告 Full report: watchfloor store verify --data-dir "${dataDir}"`,
        keep,
      ].join('\n'),
    };
  }
  if (err instanceof DataFolderError) {
    return {
      title,
      content: [
        '无法打开数据文件夹。',
        'The data folder cannot be opened.',
        '',
        `文件夹 Folder: ${err.dir}`,
        err.message,
        '',
        keep,
      ].join('\n'),
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return {
    title,
    content: [
      '打开数据文件夹时出错。',
      'An error occurred while opening the data folder.',
      '',
      `文件夹 Folder: ${dataDir}`,
      code ? `${code}: ${message}` : message,
      '',
      keep,
    ].join('\n'),
  };
}
