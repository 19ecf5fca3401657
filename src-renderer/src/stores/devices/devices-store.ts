import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  ErrorCode,
  type Device,
  type DeviceFields,
  type DeviceImportResult,
  type DeviceImportRowError,
} from '@shared/contract';
import type { RpcClient } from '../../rpc/client';
import { toAppError, type AppError } from '../errors';
import {
  chunkImport,
  ImportFileError,
  type ChunkOptions,
  type ImportChunk,
  type ImportFormat,
} from './import-chunks';

/**
 * Registry commands: create, edit and remove one device, and import a file (a dry run first, then
 * the valid rows). The registry list itself lives in the fleet store; after a change this store
 * asks it to reload (the `devices/changed` push would too, a moment later).
 */

export interface ImportFile {
  name: string;
  format: ImportFormat;
  content: string;
  /** The file was not UTF-8 and was read as GB18030. */
  encoding: 'utf-8' | 'gb18030';
}

export interface ImportReport {
  dryRun: boolean;
  /** Data rows the core looked at. */
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: DeviceImportRowError[];
  /** Distinct rows with at least one error (a row may have several). */
  errorRows: number;
  /** The run stopped before the last chunk (cancelled or failed); counts cover the chunks done. */
  partial: boolean;
}

export type ImportPhase = 'idle' | 'checking' | 'checked' | 'importing' | 'done' | 'failed';

export interface ImportProgress {
  /** Rows sent so far, and in the whole file (null when a small JSON file goes whole uncounted). */
  rowsDone: number;
  rowsTotal: number | null;
  chunksDone: number;
  chunks: number;
}

export interface DevicesState {
  saving: boolean;
  saveError: AppError | null;
  removing: boolean;
  removeError: AppError | null;

  importFile: ImportFile | null;
  importPhase: ImportPhase;
  importProgress: ImportProgress | null;
  /** The dry run's report (kept after the import, to compare). */
  checkReport: ImportReport | null;
  /** The import's report. */
  importReport: ImportReport | null;
  /** Why the last check or import stopped: an RPC error, or a file that cannot be cut into chunks. */
  importError: AppError | null;
  importFileProblem: { reason: ImportFileError['reason']; row: number | null } | null;

  /** Creates a device (no version) or edits one (`version` = the version the edit started from). */
  upsert(device: DeviceFields, version?: number): Promise<Device | null>;
  remove(sn: string, version: number): Promise<boolean>;
  /** The device as the core has it now (after a CONFLICT). */
  fetch(sn: string): Promise<Device | null>;
  clearErrors(): void;

  /** Takes a picked file and checks it at once (a dry run over all chunks). */
  pickImportFile(file: ImportFile): Promise<void>;
  checkImport(): Promise<void>;
  /** Imports the file's valid rows; rows with errors are skipped by the core. */
  runImport(): Promise<void>;
  /** Stops a running check or import after the chunk in flight. */
  cancelImport(): void;
  resetImport(): void;
}

export type DevicesStore = StoreApi<DevicesState>;

export interface DevicesStoreOptions {
  /** Reloads the registry list (the fleet store's `load`). */
  reloadRegistry?: () => Promise<void> | void;
  chunk?: ChunkOptions;
  /** Waits before retrying a chunk the hub refused with RATE_LIMITED (doubling, up to `maxRetries`). */
  retryDelayMs?: number;
  maxRetries?: number;
  sleep?: (ms: number) => Promise<void>;
}

const IDLE_IMPORT = {
  importPhase: 'idle' as ImportPhase,
  importProgress: null,
  checkReport: null,
  importReport: null,
  importError: null,
  importFileProblem: null,
};

/** Sums the per-chunk results of one run. */
export function mergeReports(
  results: readonly DeviceImportResult[],
  dryRun: boolean,
  partial: boolean,
): ImportReport {
  const errors = results.flatMap((r) => r.errors);
  return {
    dryRun,
    rows: results.reduce((n, r) => n + r.rows, 0),
    created: results.reduce((n, r) => n + r.created, 0),
    updated: results.reduce((n, r) => n + r.updated, 0),
    unchanged: results.reduce((n, r) => n + r.unchanged, 0),
    errors,
    errorRows: new Set(errors.map((e) => e.row)).size,
    partial,
  };
}

/** Rows the import would save: every row the core looked at, less those with errors. */
export const validRows = (report: ImportReport): number => Math.max(0, report.rows - report.errorRows);

export function createDevicesStore(client: RpcClient, options: DevicesStoreOptions = {}): DevicesStore {
  const reload = async (): Promise<void> => {
    try {
      await options.reloadRegistry?.();
    } catch {
      // The list shows its own error; the command itself succeeded.
    }
  };
  const retryDelayMs = options.retryDelayMs ?? 1_000;
  const maxRetries = options.maxRetries ?? 6;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  /** Each run gets a number; a superseded run stops silently, a cancelled one reports what it did. */
  let run = 0;
  let cancelled = -1;

  return createStore<DevicesState>()((set, get) => {
    const callChunk = async (file: ImportFile, chunk: ImportChunk, dryRun: boolean, mine: number) => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await client.call('devices/import', {
            format: file.format,
            content: chunk.content,
            firstRow: chunk.firstRow,
            dryRun,
          });
        } catch (err) {
          const e = toAppError(err);
          // The hub budgets each connection's core time; a long import waits for its share.
          if (e.code !== ErrorCode.RateLimited || attempt >= maxRetries || mine !== run || cancelled === mine)
            throw err;
          await sleep(retryDelayMs * 2 ** Math.min(attempt, 3));
        }
      }
    };

    const runChunks = async (dryRun: boolean): Promise<void> => {
      const file = get().importFile;
      if (!file) return;
      const mine = ++run;
      let chunks: ImportChunk[];
      try {
        chunks = chunkImport(file.format, file.content, options.chunk);
      } catch (err) {
        if (!(err instanceof ImportFileError)) throw err;
        set({ importPhase: 'failed', importFileProblem: { reason: err.reason, row: err.row } });
        return;
      }
      const counted = chunks.every((c) => c.rows !== null);
      const rowsTotal = counted ? chunks.reduce((n, c) => n + (c.rows ?? 0), 0) : null;
      set({
        importPhase: dryRun ? 'checking' : 'importing',
        importProgress: { rowsDone: 0, rowsTotal, chunksDone: 0, chunks: chunks.length },
        importError: null,
        importFileProblem: null,
        ...(dryRun ? { checkReport: null, importReport: null } : { importReport: null }),
      });
      const results: DeviceImportResult[] = [];
      const finish = (partial: boolean, error: AppError | null): void => {
        const report = mergeReports(results, dryRun, partial);
        set({
          importPhase: error ? 'failed' : dryRun ? 'checked' : 'done',
          importError: error,
          ...(dryRun ? { checkReport: report } : { importReport: report }),
        });
      };
      for (const chunk of chunks) {
        if (mine !== run || cancelled === mine) break;
        try {
          results.push(await callChunk(file, chunk, dryRun, mine));
        } catch (err) {
          if (mine !== run) return;
          if (cancelled === mine) break;
          finish(true, toAppError(err));
          if (!dryRun && results.length) void reload();
          return;
        }
        if (mine !== run) return;
        const p = get().importProgress;
        if (p) {
          const done = chunk.rows ?? results[results.length - 1]!.rows;
          set({ importProgress: { ...p, rowsDone: p.rowsDone + done, chunksDone: p.chunksDone + 1 } });
        }
      }
      if (mine !== run) return; // reset, another file or another run: nothing to report
      finish(results.length < chunks.length, null);
      if (!dryRun && results.length) await reload();
    };

    return {
      saving: false,
      saveError: null,
      removing: false,
      removeError: null,
      importFile: null,
      ...IDLE_IMPORT,

      async upsert(device, version) {
        if (get().saving) return null;
        set({ saving: true, saveError: null });
        try {
          const saved = await client.call(
            'devices/upsert',
            version === undefined ? { device } : { device, version },
          );
          set({ saving: false });
          await reload();
          return saved;
        } catch (err) {
          set({ saving: false, saveError: toAppError(err) });
          return null;
        }
      },

      async remove(sn, version) {
        if (get().removing) return false;
        set({ removing: true, removeError: null });
        try {
          await client.call('devices/remove', { sn, version });
          set({ removing: false });
          await reload();
          return true;
        } catch (err) {
          set({ removing: false, removeError: toAppError(err) });
          return false;
        }
      },

      async fetch(sn) {
        try {
          const device = await client.call('devices/get', { sn });
          void reload();
          return device;
        } catch (err) {
          set({ saveError: toAppError(err) });
          return null;
        }
      },

      clearErrors() {
        set({ saveError: null, removeError: null });
      },

      async pickImportFile(file) {
        run++;
        set({ importFile: file, ...IDLE_IMPORT });
        await get().checkImport();
      },

      checkImport: () => runChunks(true),
      runImport: () => runChunks(false),

      cancelImport() {
        cancelled = run;
      },

      resetImport() {
        run++;
        set({ importFile: null, ...IDLE_IMPORT });
      },
    };
  });
}
