import type { Logger } from '../../core/ports';
import type { Open311Core } from '../../core/open311/open311-api';
import { startOpen311Server, type Open311Server } from '../../core/open311/server';
import { open311LaunchFor } from './args';

type Env = Readonly<Record<string, string | undefined>>;

const WITHOUT = 'Watchfloor runs on without the Open311 API';

/**
 * Starts the desktop app's Open311 server when the launch asks for it. The API is an extra: a bad
 * setting or a port in use is logged (with what to change) and the app starts without it, with no
 * dialog in the operator's way. Null when it is off or could not start.
 */
export async function startDesktopOpen311(
  core: Open311Core,
  argv: readonly string[],
  env: Env,
  logger: Logger,
): Promise<Open311Server | null> {
  let launch;
  try {
    launch = open311LaunchFor(argv, env);
  } catch (err) {
    logger.error(`open311: not started: ${err instanceof Error ? err.message : String(err)} ${WITHOUT}.`);
    return null;
  }
  if (!launch) return null;
  try {
    return await startOpen311Server(core, { ...launch, logger });
  } catch (err) {
    logger.error(`open311: not started: ${err instanceof Error ? err.message : String(err)}. ${WITHOUT}.`, {
      host: launch.host,
      port: launch.port,
    });
    return null;
  }
}
