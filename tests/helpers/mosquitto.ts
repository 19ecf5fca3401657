import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const MOSQUITTO = '/usr/sbin/mosquitto';
export const MOSQUITTO_PUB = '/usr/bin/mosquitto_pub';
export const MOSQUITTO_SUB = '/usr/bin/mosquitto_sub';
export const MOSQUITTO_PASSWD = '/usr/bin/mosquitto_passwd';

/** Fails (never skips) when a Mosquitto binary is missing: CI installs them, a dev box should too. */
export function requireBinary(path: string): void {
  if (!existsSync(path)) {
    throw new Error(
      `${path} is missing. The MQTT integration tests need Mosquitto: ` +
        'apt-get install -y mosquitto mosquitto-clients (CI installs it).',
    );
  }
}

/** A TCP port nobody listens on right now (the OS picks it; released before returning). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Polls until `check` returns a truthy value; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
  intervalMs = 10,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export interface MosquittoOptions {
  /** Users for a password file; with any, anonymous clients are refused. */
  users?: Record<string, string>;
  port?: number;
  /**
   * More config lines after the main listener (extra listeners: TLS, websockets). `{dir}` in them is
   * replaced by the broker's temp folder.
   */
  extraConfig?: string[];
}

export interface MosquittoBroker {
  url: string;
  port: number;
  /** Stops the broker (SIGTERM, SIGKILL after 3 s) and removes its temp folder. */
  stop(): Promise<void>;
  /** Starts it again on the same port (stopping it first when it runs). Sessions do not survive. */
  restart(): Promise<void>;
  /** Starts it after `stop()`, on the same port (to keep it away for a while in between). */
  start(): Promise<void>;
  /** What the broker printed, for failure messages. */
  log(): string;
}

/**
 * Runs the machine's Mosquitto in the foreground as our child, on loopback and a free port, with a
 * temp config (no persistence, big queues for bursts). Every start registers a kill on process exit
 * so an aborted test run leaves no broker behind.
 */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<MosquittoBroker> {
  requireBinary(MOSQUITTO);
  if (options.users) requireBinary(MOSQUITTO_PASSWD);
  const port = options.port ?? (await freePort());
  let child: ChildProcess | null = null;
  let dir: string | null = null;
  let output = '';
  let killOnExit: (() => void) | null = null;

  const writeConfig = (): string => {
    dir = mkdtempSync(join(tmpdir(), 'wf-mosquitto-'));
    const lines = [
      `listener ${port} 127.0.0.1`,
      `pid_file ${join(dir, 'mosquitto.pid')}`,
      'persistence false',
      'log_dest stderr',
      'max_queued_messages 100000',
      'max_inflight_messages 0',
      // Only takes effect as root: stay root instead of switching to a user that cannot read /tmp.
      `user ${userInfo().username}`,
    ];
    if (options.users && Object.keys(options.users).length > 0) {
      const passwd = join(dir, 'passwd');
      let first = true;
      for (const [user, password] of Object.entries(options.users)) {
        const r = spawnSync(
          MOSQUITTO_PASSWD,
          first ? ['-c', '-b', passwd, user, password] : ['-b', passwd, user, password],
          {
            encoding: 'utf8',
          },
        );
        if (r.status !== 0) throw new Error(`mosquitto_passwd failed: ${r.stderr || r.error?.message}`);
        first = false;
      }
      lines.push('allow_anonymous false', `password_file ${passwd}`);
    } else {
      lines.push('allow_anonymous true');
    }
    for (const line of options.extraConfig ?? []) lines.push(line.replaceAll('{dir}', dir));
    const conf = join(dir, 'mosquitto.conf');
    writeFileSync(conf, lines.join('\n') + '\n');
    return conf;
  };

  const stop = async (): Promise<void> => {
    const proc = child;
    child = null;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    }
    if (killOnExit) process.off('exit', killOnExit);
    killOnExit = null;
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  };

  const start = async (): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      const conf = writeConfig();
      const proc = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      const collect = (d: Buffer): void => {
        output = (output + d.toString()).slice(-20_000);
      };
      proc.stdout?.on('data', collect);
      proc.stderr?.on('data', collect);
      const kill = (): void => {
        proc.kill('SIGKILL');
      };
      killOnExit = kill;
      process.once('exit', kill);
      let exited = false;
      proc.once('exit', () => (exited = true));
      try {
        await waitFor(`mosquitto on port ${port}`, async () => exited || (await canConnect(port)), 5_000, 20);
      } catch (err) {
        await stop();
        throw new Error(`${(err as Error).message}\n${output}`, { cause: err });
      }
      if (!exited) return;
      await stop();
      // The port may still be held for a moment by the previous run; try a few times.
      if (attempt >= 20) throw new Error(`mosquitto did not start on port ${port}:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  await start();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    stop,
    restart: async () => {
      await stop();
      await start();
    },
    start: async () => {
      if (child === null) await start();
    },
    log: () => output,
  };
}
