import { resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import {
  DEFAULT_FLEET_SIZE,
  DEFAULT_INTERVAL_SEC,
  DEFAULT_MAX_MESSAGES_PER_SECOND,
  FleetSimulator,
  MAX_FLEET_SIZE,
  SIMULATOR_TOPIC_ROOT,
  connectMqttPublisher,
  generateFleet,
} from '../../core/simulator';
import { mqttPortFromEnv } from '../../core/telemetry-ports';
import { integer, isoTimeMs, positive } from './cli-args';

/** The hub's embedded broker on this machine, so `serve` and `simulate` meet without options. */
export const defaultBrokerUrl = (env: NodeJS.ProcessEnv = process.env): string =>
  `mqtt://127.0.0.1:${mqttPortFromEnv(env)}`;
const MAX_SPEED = 86_400;

export interface SimulateCommandOptions {
  version: string;
  /** Where progress goes (default stdout); tests capture it. */
  write?: (text: string) => void;
}

interface SimulateFlags {
  brokerUrl: string;
  devices: number;
  speed: number;
  seed: number;
  interval: number;
  maxRate: number;
  groundTruth: string;
  duration?: number;
  simStart?: number;
  clientId?: string;
}

function brokerUrl(raw: string): string {
  const url = raw.trim();
  if (!/^(mqtts?|wss?):\/\/[^\s]+$/.test(url))
    throw new InvalidArgumentError('must be an mqtt://, mqtts://, ws:// or wss:// URL');
  return url;
}

const isoTime = (raw: string): number => isoTimeMs(raw, '2026-06-01T00:00:00Z');

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function simClock(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

async function simulate(flags: SimulateFlags, options: SimulateCommandOptions): Promise<void> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const groundTruthFile = resolve(flags.groundTruth);
  const publisher = await connectMqttPublisher(flags.brokerUrl, {
    clientId: flags.clientId ?? `watchfloor-simulate-${process.pid}`,
    connectTimeoutMs: 5_000,
    onError: (message) => write(`broker: ${message}\n`),
  }).catch((err: unknown) => {
    throw new Error((err as Error).message, { cause: err });
  });

  let simulator: FleetSimulator;
  try {
    const fleet = generateFleet({ count: flags.devices, seed: flags.seed });
    simulator = new FleetSimulator({
      fleet,
      seed: flags.seed,
      speed: flags.speed,
      simStart: flags.simStart ?? Math.floor(Date.now() / 60_000) * 60_000,
      intervalSec: flags.interval,
      maxMessagesPerSecond: flags.maxRate,
      publish: (topic, payload) => publisher.publish(topic, payload),
      groundTruthFile,
    });
    await simulator.start().catch((err: unknown) => {
      throw new Error(`Cannot write the ground truth to ${groundTruthFile}: ${(err as Error).message}`, {
        cause: err,
      });
    });
  } catch (err) {
    await publisher.close();
    throw err;
  }

  const s0 = simulator.status();
  write(
    `Watchfloor ${options.version} simulator: ${fmt(s0.devices)} PV inverters (seed ${s0.seed}) at ${s0.speed}× → ${publisher.url}, topics ${SIMULATOR_TOPIC_ROOT}/pv-inverter/<sn>/telemetry\n` +
      `  one sample per device every ${s0.effectiveIntervalSec} simulated s` +
      (s0.effectiveIntervalSec !== s0.intervalSec
        ? ` (raised from ${s0.intervalSec} s to stay under ${fmt(s0.maxMessagesPerSecond)} msg/s)`
        : '') +
      `, ~${fmt(s0.targetMessagesPerSecond)} msg/s; simulated start ${s0.simStart}\n` +
      `  ground truth: ${groundTruthFile} (${s0.plannedFailures} degradations)\n`,
  );

  const realGap = s0.effectiveIntervalSec / s0.speed;
  if (realGap > 30)
    write(
      `  note: each device reports every ${Math.round(realGap)} real seconds, and the hub's pv-inverter kind counts a device offline after 30 s of silence: raise --speed or lower --interval\n`,
    );

  const startedAt = Date.now();
  let last = { at: startedAt, published: 0 };
  await new Promise<void>((done) => {
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearInterval(progress);
      if (timer) clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      done();
    };
    let signals = 0;
    const onSignal = (): void => {
      // A second Ctrl-C means "now", even if the broker is slow to say goodbye.
      if (++signals > 1) process.exit(130);
      write('Stopping…\n');
      finish();
    };
    const progress = setInterval(() => {
      const s = simulator.status();
      const now = Date.now();
      const rate = ((s.published - last.published) * 1000) / Math.max(1, now - last.at);
      last = { at: now, published: s.published };
      write(
        `[${String(Math.round((now - startedAt) / 1000)).padStart(4)} s] sim ${simClock(s.simTimeMs)}  published ${fmt(s.published)} (${fmt(rate)}/s)  failures ${s.failures}/${s.plannedFailures}` +
          (s.lagMs > s.speed * 1000 ? `  behind ${(s.lagMs / s.speed / 1000).toFixed(1)} s` : '') +
          (s.publishErrors > 0 ? `  errors ${fmt(s.publishErrors)} (${s.lastError ?? ''})` : '') +
          (publisher.connected() ? '' : '  [broker disconnected, reconnecting]') +
          '\n',
      );
    }, 1_000);
    const timer = flags.duration === undefined ? null : setTimeout(finish, flags.duration * 1000);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });

  await simulator.stop();
  await publisher.close();
  const s = simulator.status();
  write(
    `Done: ${fmt(s.published)} messages in ${((Date.now() - startedAt) / 1000).toFixed(1)} s, simulated ${s.simStart} → ${new Date(s.simTimeMs).toISOString()}, ${s.failures} of ${s.plannedFailures} failures reached` +
      (s.publishErrors > 0 ? `, ${fmt(s.publishErrors)} publish errors` : '') +
      (s.skipped > 0 ? `, ${fmt(s.skipped)} samples skipped (fell behind)` : '') +
      '\n',
  );
}

/** Adds `watchfloor simulate` to the hub CLI. */
export function registerSimulateCommand(program: Command, options: SimulateCommandOptions): Command {
  return program
    .command('simulate')
    .description(
      'Publish telemetry of a simulated PV-inverter fleet in the demo city over MQTT: daily cycles, weather, noise, and degradations (capacitor ageing, loose contact, fan failure) that end in failures at the times written to a ground-truth file',
    )
    .addOption(
      new Option(
        '--broker-url <url>',
        "MQTT broker to publish to (default: the hub's embedded broker, port WATCHFLOOR_MQTT_PORT or 1884)",
      )
        .env('WATCHFLOOR_BROKER_URL')
        .argParser(brokerUrl)
        .default(defaultBrokerUrl()),
    )
    .addOption(
      new Option('--devices <n>', `PV inverters, 1 to ${MAX_FLEET_SIZE}`)
        .argParser(integer(1, MAX_FLEET_SIZE))
        .default(DEFAULT_FLEET_SIZE),
    )
    .addOption(
      new Option(
        '--speed <x>',
        `simulated seconds per real second (3600 = an hour a second), up to ${MAX_SPEED}`,
      )
        .argParser(positive(MAX_SPEED, ''))
        .default(3600),
    )
    .addOption(
      new Option('--seed <n>', 'seed of the fleet, weather and degradations')
        .argParser(integer(0, 2 ** 31 - 1))
        .default(1),
    )
    .addOption(
      new Option(
        '--interval <sec>',
        'simulated seconds between two samples of a device (raised if --max-rate requires)',
      )
        .argParser(positive(86_400, 's'))
        .default(DEFAULT_INTERVAL_SEC),
    )
    .addOption(
      new Option('--max-rate <n>', 'real messages per second at most')
        .argParser(integer(1, 1_000_000))
        .default(DEFAULT_MAX_MESSAGES_PER_SECOND),
    )
    .addOption(
      new Option('--ground-truth <file>', 'where to write the planned degradations (JSON Lines)').default(
        'simulator-ground-truth.jsonl',
      ),
    )
    .addOption(
      new Option('--duration <sec>', 'stop after this many real seconds (default: until Ctrl-C)').argParser(
        positive(1e9, 's'),
      ),
    )
    .addOption(
      new Option('--sim-start <iso>', 'simulated time at the start (default: now, to the minute)').argParser(
        isoTime,
      ),
    )
    .option('--client-id <id>', 'MQTT client id (default: watchfloor-simulate-<pid>)')
    .addHelpText(
      'after',
      `
Each device publishes JSON to ${SIMULATOR_TOPIC_ROOT}/pv-inverter/<sn>/telemetry:
  {"ts": <epoch ms, simulated>, "ripple": %, "tempGradient": °C/min, "packetLoss": %,
   "power": kW, "ambient": °C, "irradiance": W/m²}
A device that fails stops publishing. The hub's "Demo simulator" connector maps these topics.

Examples:
  watchfloor simulate --duration 60
  watchfloor simulate --broker-url mqtt://10.0.0.5:1883 --devices 20000 --speed 86400 --seed 7`,
    )
    .action((flags: SimulateFlags) => simulate(flags, options));
}
