import { connect, type MqttClient } from 'mqtt';
import { describeConnectionError, redactUrl } from '../connectors/connection-errors';

/** An mqtt.js connection that only publishes QoS 0, with back-pressure and no offline queue. */
export interface MqttPublisher {
  /** The URL without credentials. */
  readonly url: string;
  /**
   * Resolves at once (returns nothing) while the socket takes data; returns a promise that settles
   * when the socket drains otherwise. Throws while the connection is down: QoS 0 telemetry that
   * cannot be delivered now is worthless later, so nothing is queued.
   */
  publish(topic: string, payload: Buffer): void | Promise<void>;
  connected(): boolean;
  /** Polite DISCONNECT, then the socket is dropped if the broker does not answer within `endTimeoutMs`. */
  close(): Promise<void>;
}

export interface MqttPublisherOptions {
  clientId: string;
  /** TCP/TLS connect and CONNACK together; start fails after it (default 5 s). */
  connectTimeoutMs?: number;
  /** Reconnect delay once the first connection was made (default 1 s); the first attempt is never retried. */
  reconnectMs?: number;
  endTimeoutMs?: number;
  username?: string;
  password?: string;
  /** Errors of the established connection (it reconnects by itself). */
  onError?: (message: string) => void;
}

export class BrokerUnreachableError extends Error {
  constructor(
    message: string,
    readonly url: string,
  ) {
    super(message);
    this.name = 'BrokerUnreachableError';
  }
}

function hostOf(url: string): { host: string; port: number | null } {
  try {
    const u = new URL(url);
    return { host: u.hostname, port: u.port === '' ? null : Number(u.port) };
  } catch {
    return { host: url, port: null };
  }
}

export async function connectMqttPublisher(
  url: string,
  options: MqttPublisherOptions,
): Promise<MqttPublisher> {
  const shown = redactUrl(url);
  if (!/^(mqtts?|wss?):\/\/[^\s]+$/.test(url))
    throw new BrokerUnreachableError(
      `Not a broker URL: ${shown} (expected mqtt://, mqtts://, ws:// or wss://)`,
      shown,
    );
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  const target = { ...hostOf(url), clientId: options.clientId, connectTimeoutMs };
  const client: MqttClient = connect(url, {
    clientId: options.clientId,
    clean: true,
    protocolVersion: 4,
    keepalive: 30,
    connectTimeout: connectTimeoutMs,
    reconnectPeriod: 0,
    queueQoSZero: false,
    username: options.username,
    password: options.password,
  });

  await new Promise<void>((resolve, reject) => {
    let done = false;
    const finish = (err: unknown): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      client.off('connect', onConnect);
      client.off('error', onError);
      client.off('close', onClose);
      if (err === null) return resolve();
      client.end(true);
      reject(
        new BrokerUnreachableError(
          `Cannot reach the MQTT broker at ${shown}: ${describeConnectionError(err, target).message}`,
          shown,
        ),
      );
    };
    const onConnect = (): void => finish(null);
    const onError = (err: Error): void => finish(err);
    const onClose = (): void => finish(new Error('connection closed before the broker answered'));
    // mqtt.js's own timeout does not cover every stall (a TLS handshake that never ends).
    const timer = setTimeout(() => finish(new Error('connack timeout')), connectTimeoutMs + 250);
    client.on('connect', onConnect);
    client.on('error', onError);
    client.on('close', onClose);
  });

  // From here on a broker restart is survived: mqtt.js reconnects by itself.
  client.options.reconnectPeriod = options.reconnectMs ?? 1_000;
  client.on('error', (err) => options.onError?.(describeConnectionError(err, target).message));

  const notConnected = (): Error => new Error(`not connected to ${shown}`);
  let closing: Promise<void> | null = null;

  return {
    url: shown,
    connected: () => client.connected,
    publish(topic: string, payload: Buffer): void | Promise<void> {
      if (!client.connected) throw notConnected();
      let sync = true;
      let settled = false;
      let failure: Error | undefined;
      let settle: ((err?: Error) => void) | null = null;
      client.publish(topic, payload, { qos: 0 }, (err) => {
        if (sync) {
          settled = true;
          failure = err;
        } else settle?.(err);
      });
      sync = false;
      if (settled) {
        if (failure) throw failure;
        return;
      }
      return new Promise<void>((resolve, reject) => {
        settle = (err) => (err ? reject(err) : resolve());
      });
    },
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => client.end(true, {}, () => resolve()), options.endTimeoutMs ?? 2_000);
        client.end(false, {}, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      return closing;
    },
  };
}
