import { createServer, type Socket } from 'node:net';
import { Aedes } from 'aedes';

export interface EmbeddedBroker {
  /** `mqtt://host:port`, what `embedded://` resolves to. */
  url: string;
  port: number;
  /** The aedes instance, for diagnostics and tests (client counts, events). */
  broker: Aedes;
  /** Ends every client connection and the listener. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * The hub's own MQTT broker (aedes 1, in memory) on a plain TCP listener, loopback and a free port by
 * default, so the app works with no broker installed. Standard clients (mosquitto_pub/sub, mqtt.js)
 * talk to it like to any MQTT 3.1.1 broker.
 */
export async function startEmbeddedBroker(
  options: { host?: string; port?: number } = {},
): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  const broker = await Aedes.createBroker();
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // A client that vanishes mid-packet must not take the hub down; aedes reports it as clientError.
    socket.on('error', () => undefined);
    broker.handle(socket);
  });

  const closeBroker = (): Promise<void> => new Promise((resolve) => broker.close(() => resolve()));

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await closeBroker();
    const code = (err as NodeJS.ErrnoException).code;
    const where = `${host}:${options.port ?? 0}`;
    throw new Error(
      code === 'EADDRINUSE'
        ? `The embedded MQTT broker cannot listen on ${where}: the port is in use`
        : `The embedded MQTT broker cannot listen on ${where}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  server.on('error', () => undefined);

  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('The embedded broker has no TCP address');
  const port = address.port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      await closeBroker();
      for (const socket of sockets) socket.destroy();
      await serverClosed;
    })();
    return closing;
  };

  return { url: `mqtt://${urlHost}:${port}`, port, broker, close };
}
