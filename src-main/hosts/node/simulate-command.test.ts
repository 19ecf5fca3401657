import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { connect } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../core/broker/embedded-broker';
import { parseGroundTruth } from '../../core/simulator';
import { registerSimulateCommand } from './simulate-command';

let broker: EmbeddedBroker;
let dir: string;

beforeAll(async () => {
  broker = await startEmbeddedBroker();
  dir = await mkdtemp(join(tmpdir(), 'wf-simulate-'));
});
afterAll(async () => {
  await broker.close();
  await rm(dir, { recursive: true, force: true });
});

function cli() {
  const out: string[] = [];
  const errors: string[] = [];
  const program = new Command('watchfloor').exitOverride().configureOutput({
    writeOut: (s) => out.push(s),
    writeErr: (s) => errors.push(s),
  });
  registerSimulateCommand(program, { version: '9.9.9', write: (s) => out.push(s) });
  const run = (...args: string[]) => program.parseAsync(['simulate', ...args], { from: 'user' });
  return { run, out, errors };
}

describe('watchfloor simulate', () => {
  it('publishes for --duration, prints progress and writes the ground truth', async () => {
    const sub = connect(broker.url, { reconnectPeriod: 0 });
    let received = 0;
    sub.on('message', () => received++);
    await new Promise((r) => sub.once('connect', r));
    await sub.subscribeAsync('watchfloor/sim/#');
    const file = join(dir, 'truth.jsonl');
    const { run, out } = cli();
    await run(
      '--broker-url',
      broker.url,
      '--devices',
      '300',
      '--speed',
      '7200',
      '--seed',
      '3',
      '--ground-truth',
      file,
      '--duration',
      '2.2',
      '--sim-start',
      '2026-06-01T00:00:00Z',
    );
    const text = out.join('');
    expect(text).toMatch(/Watchfloor 9\.9\.9 simulator: 300 PV inverters \(seed 3\) at 7200×/);
    expect(
      text.match(
        /^\[\s+\d+ s\] sim 2026-06-01 \d\d:\d\d UTC {2}published [\d,]+ \([\d,]+\/s\) {2}failures \d+\/\d+/gm,
      )?.length,
    ).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/Done: [\d,]+ messages/);
    const truth = parseGroundTruth(await readFile(file, 'utf8'));
    expect(truth.header).toMatchObject({
      seed: 3,
      speed: 7200,
      count: 300,
      simStart: '2026-06-01T00:00:00.000Z',
    });
    const published = Number(/Done: ([\d,]+) messages/.exec(text)![1]!.replace(/,/g, ''));
    expect(published).toBeGreaterThan(1000);
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toBe(published);
    await sub.endAsync();
  });

  it('stops cleanly on SIGINT', async () => {
    const { run, out } = cli();
    const done = run(
      '--broker-url',
      broker.url,
      '--devices',
      '50',
      '--ground-truth',
      join(dir, 'sigint.jsonl'),
    );
    await new Promise((r) => setTimeout(r, 600));
    process.emit('SIGINT');
    await done;
    expect(out.join('')).toMatch(/Stopping…\nDone: /);
    expect(process.listenerCount('SIGINT')).toBe(0);
  });

  it('refuses bad option values with a clear message', async () => {
    const cases: [string[], RegExp][] = [
      [['--devices', '0'], /--devices <n>' argument '0' is invalid\. must be an integer from 1 to 20000/],
      [['--devices', '20001'], /must be an integer from 1 to 20000/],
      [['--speed', '-5'], /--speed <x>' argument '-5' is invalid\. must be a number above 0/],
      [['--speed', 'fast'], /--speed/],
      [['--seed', '1.5'], /--seed/],
      [['--interval', '0'], /--interval/],
      [['--broker-url', 'http://x'], /must be an mqtt:\/\/, mqtts:\/\/, ws:\/\/ or wss:\/\/ URL/],
      [['--sim-start', 'yesterday'], /ISO-8601/],
    ];
    for (const [args, message] of cases) {
      const { run, errors } = cli();
      const err = await run(...args).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CommanderError);
      expect(errors.join('')).toMatch(message);
    }
  });

  it('fails fast with a clear error when the broker is unreachable', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    await new Promise((r) => server.close(r));
    const { run } = cli();
    const t0 = Date.now();
    await expect(
      run('--broker-url', `mqtt://127.0.0.1:${port}`, '--ground-truth', join(dir, 'never.jsonl')),
    ).rejects.toThrow(/Cannot reach the MQTT broker at mqtt:\/\/127\.0\.0\.1:\d+: Connection refused/);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('explains a ground-truth file it cannot write', async () => {
    const { run } = cli();
    await expect(
      run(
        '--broker-url',
        broker.url,
        '--ground-truth',
        join(dir, 'missing-folder', 'truth.jsonl'),
        '--duration',
        '1',
      ),
    ).rejects.toThrow(/Cannot write the ground truth to .*missing-folder.*ENOENT/);
  });

  it('has help text with the payload and examples', () => {
    const program = new Command('watchfloor');
    const cmd = registerSimulateCommand(program, { version: '1' });
    const help = cmd.helpInformation() + '';
    for (const flag of [
      '--broker-url',
      '--devices',
      '--speed',
      '--seed',
      '--interval',
      '--ground-truth',
      '--duration',
    ])
      expect(help).toContain(flag);
    expect(help).toContain('WATCHFLOOR_BROKER_URL');
    expect(help).toContain('default: 2000');
  });
});
