import { join } from 'node:path';
import { startEmbeddedBroker, type EmbeddedBroker } from './broker/embedded-broker';
import { ConnectorManager } from './connectors/connector-manager';
import { SecretStore } from './connectors/secret-store';
import type { CorePorts } from './create-core';
import type { Logger, SecretsPort } from './ports';

export const SECRETS_FILE = 'secrets.json';

/** The embedded broker's default port: not 1883, which a system Mosquitto usually holds. */
export const DEFAULT_MQTT_PORT = 1884;

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
}

export interface TelemetryWiring {
  ports: NonNullable<CorePorts['telemetry']>;
  broker: EmbeddedBroker | null;
}

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
): Promise<TelemetryWiring> {
  const vault = new SecretStore(join(dataDir, SECRETS_FILE), options.secrets);
  const broker = options.embeddedBroker ? await startBroker(options.embeddedBroker, logger) : null;
  if (broker) logger.info('embedded MQTT broker listening', { url: broker.url });
  return {
    broker,
    ports: {
      vault,
      runtime: (runtimeOptions) => new ConnectorManager(runtimeOptions),
      embeddedBrokerUrl: () => broker?.url ?? null,
      dispose: async () => {
        await broker?.close();
      },
    },
  };
}
