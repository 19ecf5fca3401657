import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const hubEntry = join(repoRoot, 'out', 'main', 'hub.js');

export interface HubProcess {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  stop: () => Promise<void>;
}

/** Starts the built hub (`node out/main/hub.js serve …`) and resolves once it prints its URL. */
export function startHubProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<HubProcess> {
  if (!existsSync(hubEntry)) throw new Error(`${hubEntry} is missing: run \`npm run build\` first`);
  return new Promise((resolveHub, reject) => {
    // BENCH_HUB_NODE_ARGS passes Node flags to the hub (e.g. --cpu-prof, --trace-gc) when profiling.
    const nodeArgs = process.env.BENCH_HUB_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const child = spawn(process.execPath, [...nodeArgs, hubEntry, 'serve', '--port', '0', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Watchfloor running at (http:\/\/\S+)/.exec(out);
      if (m) {
        resolveHub({
          child,
          url: m[1]!,
          stderr: () => err,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`hub exited (${code}) before it was ready:\n${err}`)));
  });
}
