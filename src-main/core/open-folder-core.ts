import { existsSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SystemInfo } from '@shared/contract';
import { createCore, type Core } from './create-core';
import { seedDemoData } from './demo/seed-demo';
import type { Logger } from './ports';
import { FileStore } from './store/file-store';
import {
  openTelemetryPorts,
  startDemoTelemetry,
  type TelemetryHostOptions,
  type TelemetryWiring,
} from './telemetry-ports';

export const DEMO_TICKETS = 50_000;
/** Present while demo tickets are being seeded: a folder that still has it after a crash is incomplete. */
const DEMO_PENDING = 'demo-seeding.pending';
export const DEMO_SEED = 1;

export interface OpenFolderCoreOptions {
  dataDir: string;
  host: SystemInfo['host'];
  version: string;
  logger: Logger;
  /** Seed demo tickets when this call creates the folder; an existing folder is never seeded. */
  demo?: { count: number; seed: number } | null;
  onSeedProgress?: (done: number, total: number) => void;
  /** MQTT connectors, secrets and the embedded broker; without it the core has no telemetry input. */
  telemetry?: TelemetryHostOptions | null;
  /** Demo mode: ensure the simulator's connector and start the simulator (every start, not only the first). */
  demoTelemetry?: boolean;
  /** Where the health models are (`models/`); null or absent: rules only. */
  modelsDir?: string | null;
  /**
   * The hotline: the map folder with the grid files (null: no routing). In demo mode (`demo` given or
   * `demoTelemetry`) the simulated call stream is on unless `demoCalls` says otherwise.
   */
  hotline?: { mapDir: string | null; demoCalls?: boolean | { everySec: number } } | null;
}

/**
 * Opens a data folder and the core on it, for every host. Any failure closes what was opened and
 * is rethrown unchanged: the host shows it, nothing is reset.
 */
export async function openFolderCore(
  options: OpenFolderCoreOptions,
): Promise<{ core: Core; storage: FileStore; telemetry: TelemetryWiring | null }> {
  const storage = await FileStore.open({ dir: options.dataDir, logger: options.logger });
  let core: Core | null = null;
  let telemetry: TelemetryWiring | null = null;
  try {
    telemetry = options.telemetry
      ? await openTelemetryPorts(options.dataDir, options.telemetry, options.logger, () => core)
      : null;
    core = await createCore({
      storage,
      host: options.host,
      version: options.version,
      logger: options.logger,
      telemetry: telemetry?.ports,
      predict: {
        modelsDir: options.modelsDir ?? null,
        // In demo mode the simulator's plan is the ground truth the predictions are checked against.
        ...(options.demoTelemetry &&
          telemetry?.simulator && { groundTruth: () => telemetry!.simulator!.groundTruth() }),
      },
      hotline: {
        mapDir: options.hotline?.mapDir ?? null,
        demoCalls: options.hotline?.demoCalls ?? Boolean(options.demo || options.demoTelemetry),
      },
    });
    const demo = options.demo;
    const marker = join(options.dataDir, DEMO_PENDING);
    if (!storage.created && existsSync(marker)) {
      options.logger.warn(
        'demo seeding of this data folder was interrupted; it holds only part of the demo tickets',
        {
          tickets: storage.counts().tickets,
          fix: `watchfloor demo generate --data-dir "${options.dataDir}" --force`,
        },
      );
    }
    if (demo && storage.created) {
      writeFileSync(marker, `${new Date().toISOString()}\n`);
      const config = await storage.latestConfig();
      if (!config) throw new Error('the new data folder has no configuration to seed demo data with');
      const started = performance.now();
      const { tickets } = await storage.bulkLoad(() =>
        seedDemoData(
          storage,
          config,
          { count: demo.count, seed: demo.seed, now: Date.now() },
          options.onSeedProgress,
        ),
      );
      unlinkSync(marker);
      // The hotline read its records before the seed wrote them: its KPI and training need them now.
      await core.hotline.reloadRecords();
      options.logger.info('demo data seeded', { tickets, ms: Math.round(performance.now() - started) });
    }
    if (options.demoTelemetry && telemetry) await startDemoTelemetry(core, telemetry, options.logger);
    return { core, storage, telemetry };
  } catch (err) {
    if (core) await core.close().catch(() => undefined);
    else {
      await storage.close().catch(() => undefined);
      await telemetry?.ports.dispose?.().catch(() => undefined);
    }
    throw err;
  }
}
