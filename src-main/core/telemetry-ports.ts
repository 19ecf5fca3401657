import { join } from 'node:path';
import { startEmbeddedBroker, type EmbeddedBroker } from './broker/embedded-broker';
import { ConnectorManager } from './connectors/connector-manager';
import { SecretStore } from './connectors/secret-store';
import type { Core, CorePorts } from './create-core';
import { registerFleet } from './demo/demo-fleet';
import type { Logger, SecretsPort } from './ports';
import { SimulatorControl, simulatorConnectorSettings } from './simulator/simulator-control';

export const SECRETS_FILE = 'secrets.json';

/** The embedded broker's default port: not 1883, which a system Mosquitto usually holds. */
export const DEFAULT_MQTT_PORT = 1884;

/** A simulated minute per real second: the daily cycle in 24 minutes, one sample per device per second. */
export const DEMO_SIM_SPEED = 60;

type Env = Readonly<Record<string, string | undefined>>;

export function mqttPortFromEnv(env: Env): number {
  const raw = env.WATCHFLOOR_MQTT_PORT;
  if (raw === undefined || raw === '') return DEFAULT_MQTT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`WATCHFLOOR_MQTT_PORT must be a port number 0-65535, got "${raw}"`);
  }
  return port;
}

/** `mqtt://`, `mqtts://`, `ws://` or `wss://` with a host; null when it is not such a URL. */
export function parseBrokerUrl(raw: string): string | null {
  const url = raw.trim();
  return /^(mqtts?|wss?):\/\/[^\s/]+/.test(url) ? url : null;
}

/**
 * The broker settings hosts read from the environment: WATCHFLOOR_BROKER_URL names an external broker
 * (then no embedded one runs), else the embedded one listens on WATCHFLOOR_MQTT_PORT or the default.
 */
export function brokerFromEnv(env: Env): Pick<TelemetryHostOptions, 'embeddedBroker' | 'externalBrokerUrl'> {
  const raw = env.WATCHFLOOR_BROKER_URL?.trim();
  if (raw) {
    const url = parseBrokerUrl(raw);
    if (!url)
      throw new Error(
        `WATCHFLOOR_BROKER_URL must be an mqtt://, mqtts://, ws:// or wss:// URL, got "${raw}"`,
      );
    return { embeddedBroker: null, externalBrokerUrl: url };
  }
  const port = mqttPortFromEnv(env);
  return {
    embeddedBroker: { port, fallbackToFreePort: port === DEFAULT_MQTT_PORT },
    externalBrokerUrl: null,
  };
}

export interface TelemetryHostOptions {
  /** How this host encrypts connector secrets at rest (key file, Electron safeStorage). */
  secrets: SecretsPort;
  /**
   * The embedded aedes broker and where it listens; null runs none (an external broker is used).
   * `fallbackToFreePort` lets a default port that is taken give way to any free one.
   */
  embeddedBroker: { host?: string; port: number; fallbackToFreePort?: boolean } | null;
  /** The broker the demo connector and the simulator use when the embedded one does not run. */
  externalBrokerUrl?: string | null;
  /** The fleet simulator behind `simulator/*`, with what a start without parameters uses. */
  simulator?: { devices?: number; speed?: number; seed?: number } | null;
}

export interface TelemetryWiring {
  ports: NonNullable<CorePorts['telemetry']>;
  broker: EmbeddedBroker | null;
  simulator: SimulatorControl | null;
  /** Where the demo connector and the simulator meet: `embedded://` or the external broker. */
  brokerUrl: string;
}

type Caller = Pick<Core, 'call'>;

async function startBroker(
  options: NonNullable<TelemetryHostOptions['embeddedBroker']>,
  logger: Logger,
): Promise<EmbeddedBroker> {
  try {
    return await startEmbeddedBroker({ host: options.host, port: options.port });
  } catch (err) {
    if (!options.fallbackToFreePort || options.port === 0) throw err;
    logger.warn('the embedded MQTT broker port is taken; using a free port instead', {
      port: options.port,
      error: (err as Error).message,
    });
    return startEmbeddedBroker({ host: options.host, port: 0 });
  }
}

/**
 * The MQTT side of a data folder: the secrets vault beside the journal, the connection runtime and,
 * when asked, the embedded broker. What the host chooses (encryption, ports) comes in as options.
 */
export async function openTelemetryPorts(
  dataDir: string,
  options: TelemetryHostOptions,
  logger: Logger,
  /** The core, once it exists: the simulator registers its fleet through the core's own import. */
  core: () => Caller | null,
): Promise<TelemetryWiring> {
  const vault = new SecretStore(join(dataDir, SECRETS_FILE), options.secrets);
  const broker = options.embeddedBroker ? await startBroker(options.embeddedBroker, logger) : null;
  if (broker) logger.info('embedded MQTT broker listening', { url: broker.url });
  const embeddedBrokerUrl = (): string | null => broker?.url ?? null;
  const brokerUrl = options.externalBrokerUrl ?? 'embedded://';
  const simulator = options.simulator
    ? new SimulatorControl({
        brokerUrl,
        resolveEmbeddedUrl: embeddedBrokerUrl,
        dir: dataDir,
        defaults: options.simulator,
        logger,
        register: async (fields) => {
          const target = core();
          if (!target) throw new Error('the core is not open yet');
          await registerFleet(target, fields);
        },
      })
    : null;
  return {
    broker,
    simulator,
    brokerUrl,
    ports: {
      vault,
      runtime: (runtimeOptions) => new ConnectorManager(runtimeOptions),
      embeddedBrokerUrl,
      simulator: simulator ?? undefined,
      dispose: async () => {
        await broker?.close();
      },
    },
  };
}

/**
 * Demo mode: the connector that reads the simulator, then the simulator itself. A simulator that
 * cannot start (an external broker that is down) is reported and leaves the hub running.
 */
export async function startDemoTelemetry(core: Core, wiring: TelemetryWiring, logger: Logger): Promise<void> {
  await core.ensureConnector(simulatorConnectorSettings(wiring.brokerUrl));
  if (!wiring.simulator) return;
  try {
    const status = await wiring.simulator.start({});
    logger.info('fleet simulator started', {
      devices: status.devices,
      speed: status.speed,
      groundTruth: status.groundTruthFile,
    });
  } catch (err) {
    logger.warn('the fleet simulator did not start', { error: (err as Error).message });
  }
}
