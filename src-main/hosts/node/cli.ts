import { existsSync, readdirSync, renameSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { openFolderCore } from '../../core/open-folder-core';
import { stderrLogger, systemClock } from '../../core/ports';
import { WeatherClient } from '../../core/predict/weather';
import { lockHolder, readManifest } from '../../core/store/data-folder';
import { verifyDataFolder } from '../../core/store/verify';
import { integer } from './cli-args';
import { startHubServer, WEATHER_PATH } from './http-server';
import { keyFileSecrets } from './key-file-secrets';
import { registerSimulateCommand } from './simulate-command';
import { registerEvalCommand } from './eval-command';
import { registerClassifyCommand } from './classify-command';
import { registerRouteCommand } from './route-command';
import { defaultMapDir } from './route-command';
import { DEFAULT_PORT, defaultDataDir, defaultModelsDir, defaultPort, defaultRendererDir } from './paths';
import { DEFAULT_FLEET_SIZE, MAX_FLEET_SIZE } from '../../core/simulator/fleet';
import {
  DEFAULT_MQTT_PORT,
  DEMO_SIM_SPEED,
  mqttPortFromEnv,
  parseBrokerUrl,
} from '../../core/telemetry-ports';
import { VERSION } from './version';

function brokerUrl(raw: string): string {
  const url = parseBrokerUrl(raw);
  if (!url) throw new InvalidArgumentError('must be an mqtt://, mqtts://, ws:// or wss:// URL with a host');
  return url;
}

function progressPrinter(label: string): (done: number, total: number) => void {
  let last = -1;
  return (done, total) => {
    const pct = Math.floor((done / total) * 100);
    if (pct === last || (pct % 10 !== 0 && done !== total)) return;
    last = pct;
    process.stderr.write(
      `${label}: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} (${pct}%)\n`,
    );
  };
}

async function serve(opts: {
  host: string;
  port: number;
  dataDir: string;
  token?: string;
  demo: boolean;
  demoCount: number;
  demoSeed: number;
  rendererDir?: string;
  modelsDir?: string;
  rate: number;
  burst: number;
  brokerUrl?: string;
  mqttPort: number;
  sim: boolean;
  simDevices: number;
  simSpeed: number;
  simSeed: number;
}): Promise<void> {
  const logger = stderrLogger;
  const { core, telemetry } = await openFolderCore({
    dataDir: opts.dataDir,
    host: 'node',
    version: VERSION,
    logger,
    demo: opts.demo ? { count: opts.demoCount, seed: opts.demoSeed } : null,
    onSeedProgress: progressPrinter('Seeding demo tickets'),
    telemetry: {
      secrets: keyFileSecrets(),
      // With an external broker the hub runs none of its own; otherwise a taken default port gives way.
      embeddedBroker: opts.brokerUrl
        ? null
        : { port: opts.mqttPort, fallbackToFreePort: opts.mqttPort === DEFAULT_MQTT_PORT },
      externalBrokerUrl: opts.brokerUrl ?? null,
      simulator: { devices: opts.simDevices, speed: opts.simSpeed, seed: opts.simSeed },
    },
    demoTelemetry: opts.demo && opts.sim,
    modelsDir: opts.modelsDir ?? defaultModelsDir(),
    hotline: { mapDir: defaultMapDir(), demoCalls: opts.demo },
  });
  const hub = await startHubServer({
    core,
    logger,
    host: opts.host,
    port: opts.port,
    token: opts.token,
    rendererDir: opts.rendererDir ?? defaultRendererDir(),
    version: VERSION,
    weatherSeed: opts.demo && opts.sim ? opts.simSeed : null,
    open311: { apiKey: process.env['WATCHFLOOR_OPEN311_API_KEY']?.trim() || null },
    rpc: { ratePerSecond: opts.rate, rateBurst: opts.burst },
  }).catch(async (err: unknown) => {
    await core.close();
    throw err;
  });
  const shown = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
  if (opts.demo && opts.sim) {
    // The demo's forecast API is this hub's own; a configured weather URL is used everywhere else.
    const base = hub.url.replace(opts.host, shown);
    core.predict.useWeather(
      new WeatherClient({
        url: `${base.replace(/\/$/, '')}${WEATHER_PATH}?lat={lat}&lng={lng}&hours=48`,
        pollMinutes: 30,
        clock: systemClock,
      }),
    );
  }
  process.stdout.write(`Watchfloor running at ${hub.url.replace(opts.host, shown)}\n`);
  if (telemetry?.broker) process.stdout.write(`MQTT broker (embedded) at ${telemetry.broker.url}\n`);
  logger.info('hub ready', {
    dataDir: opts.dataDir,
    wall: `${hub.url}wall`,
    token: opts.token ? 'required' : 'none',
  });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    void hub
      .close()
      .then(() => core.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error('shutdown failed', { error: String(err) });
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

function printVerify(report: ReturnType<typeof verifyDataFolder>): void {
  const lines = [
    `Data folder: ${report.dir}`,
    `Store id:    ${report.manifest?.storeId ?? '-'}`,
    `Journal:     ${report.journal.bytes.toLocaleString('en-US')} bytes, ${report.journal.records.toLocaleString('en-US')} records, ${report.journal.tickets.toLocaleString('en-US')} tickets`,
    `Scan:        ${report.journal.stop.kind}${'offset' in report.journal.stop ? ` at byte offset ${report.journal.stop.offset}` : ''}${'reason' in report.journal.stop ? ` (${report.journal.stop.reason})` : ''}`,
    `Events:      ${
      Object.entries(report.journal.eventTypes)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || '-'
    }`,
    `Snapshots:   ${report.snapshots.length === 0 ? 'none' : report.snapshots.map((s) => (s.ok ? `ok (offset ${s.meta.journalOffset})` : `DAMAGED ${s.file}: ${s.reason}`)).join('; ')}`,
    ...report.problems.map((p) => `Problem:     ${p}`),
    '',
    ...report.advice,
    '',
    report.ok ? 'Result: OK' : 'Result: PROBLEMS FOUND',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

async function generateDemo(opts: {
  dataDir: string;
  count: number;
  seed: number;
  force: boolean;
}): Promise<void> {
  const dir = opts.dataDir;
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!opts.force) {
      throw new Error(
        `${dir} is not empty. Pass --force to move it aside to ${dir}.bak-<time> and generate a fresh demo folder.`,
      );
    }
    // Only a Watchfloor folder nobody is using may be moved: a running hub would keep writing into the moved one.
    readManifest(dir);
    const holder = lockHolder(dir);
    if (holder !== null)
      throw new Error(`${dir} is in use by a running Watchfloor (pid ${holder}); stop it first`);
    const backup = `${dir}.bak-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(dir, backup);
    process.stderr.write(`Moved the existing folder to ${backup}\n`);
  }
  const { core } = await openFolderCore({
    dataDir: dir,
    host: 'node',
    version: VERSION,
    logger: stderrLogger,
    demo: { count: opts.count, seed: opts.seed },
    onSeedProgress: progressPrinter('Seeding demo tickets'),
  });
  await core.close();
  process.stdout.write(
    `Generated ${opts.count.toLocaleString('en-US')} demo tickets (seed ${opts.seed}) in ${dir}\n`,
  );
}

export function buildCli(): Command {
  const program = new Command('watchfloor')
    .description(
      'Watchfloor — control-room ticket hub (工单中枢). Runs the hub, checks stores, generates demo data.',
    )
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)');

  const dataDirOption = (): Option =>
    new Option('--data-dir <dir>', 'data folder (env WATCHFLOOR_DATA_DIR)').default(defaultDataDir());

  program
    .command('serve')
    .description(
      'Run the hub: the console and wall at http://<host>:<port>/ and /wall, WebSocket RPC at /rpc',
    )
    .option('--host <address>', 'address to bind; anything but loopback requires --token', '127.0.0.1')
    .addOption(
      new Option('--port <port>', `port (env WATCHFLOOR_PORT, default ${DEFAULT_PORT}; 0 = any free port)`)
        .argParser(integer(0, 65535))
        .default(defaultPort()),
    )
    .addOption(dataDirOption())
    .addOption(
      new Option('--token <secret>', 'token every client must present (env WATCHFLOOR_TOKEN)').env(
        'WATCHFLOOR_TOKEN',
      ),
    )
    .option(
      '--demo',
      'seed demo tickets when the data folder is new; run the demo connector and the fleet simulator',
      false,
    )
    .addOption(
      new Option('--demo-count <n>', 'demo tickets to seed').argParser(integer(1, 2_000_000)).default(50_000),
    )
    .addOption(
      new Option('--demo-seed <n>', 'seed of the demo generator')
        .argParser(integer(0, 2 ** 31 - 1))
        .default(1),
    )
    .option('--renderer-dir <dir>', 'folder of the built renderer (default: out/renderer)')
    .option(
      '--models-dir <dir>',
      'folder of the health models (env WATCHFLOOR_MODELS_DIR; default: models/ of the project)',
    )
    .addOption(
      new Option('--rate <n>', 'requests per second allowed per connection')
        .argParser(integer(1, 1_000_000))
        .default(1_000),
    )
    .addOption(
      new Option('--burst <n>', 'request burst allowed per connection')
        .argParser(integer(1, 1_000_000))
        .default(2_000),
    )
    .addOption(
      new Option(
        '--broker-url <url>',
        'use this MQTT broker (e.g. mqtt://127.0.0.1:1883 for Mosquitto) instead of the embedded one; the demo connector and the simulator use it',
      )
        .env('WATCHFLOOR_BROKER_URL')
        .argParser(brokerUrl),
    )
    .addOption(
      new Option(
        '--mqtt-port <port>',
        `port of the embedded MQTT broker (env WATCHFLOOR_MQTT_PORT, default ${DEFAULT_MQTT_PORT}, any free port if that one is taken; 0 = any free port)`,
      )
        .argParser(integer(0, 65535))
        .default(mqttPortFromEnv(process.env)),
    )
    .option('--no-sim', 'with --demo, do not start the fleet simulator (it can be started from the UI)')
    .addOption(
      new Option('--sim-devices <n>', 'devices the simulator runs')
        .argParser(integer(1, MAX_FLEET_SIZE))
        .default(DEFAULT_FLEET_SIZE),
    )
    .addOption(
      new Option('--sim-speed <n>', 'simulated seconds per real second (3600 = an hour per second)')
        .argParser(integer(1, 86_400))
        .default(DEMO_SIM_SPEED),
    )
    .addOption(
      new Option('--sim-seed <n>', 'seed of the simulated fleet and its failures')
        .argParser(integer(0, 2 ** 31 - 1))
        .default(1),
    )
    .action(serve);

  const store = program.command('store').description('Inspect a data folder');
  store
    .command('verify')
    .description('Check every journal record and snapshot without changing anything; explains any damage')
    .addOption(dataDirOption())
    .option('--json', 'print the report as JSON', false)
    .action((opts: { dataDir: string; json: boolean }) => {
      const report = verifyDataFolder(opts.dataDir);
      if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      else printVerify(report);
      process.exitCode = report.ok ? 0 : 1;
    });

  const demo = program.command('demo').description('Demo data');
  demo
    .command('generate')
    .description('Create a data folder with deterministic demo tickets (Chinese, one city)')
    .addOption(dataDirOption())
    .addOption(new Option('--count <n>', 'tickets').argParser(integer(1, 2_000_000)).default(50_000))
    .addOption(new Option('--seed <n>', 'generator seed').argParser(integer(0, 2 ** 31 - 1)).default(1))
    .option('--force', 'move an existing folder aside instead of refusing', false)
    .action(generateDemo);

  registerSimulateCommand(program, { version: VERSION });
  registerEvalCommand(program);
  registerClassifyCommand(program);
  registerRouteCommand(program);

  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (err) {
    process.stderr.write(`watchfloor: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
