// First step of `npm test`: the end-to-end tests need Debian's Chromium (Playwright's own browser
// download does not work here) and a CJK font. Installs them when it can, or says how.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasFont = () => spawnSync('dpkg', ['-s', 'fonts-noto-cjk'], { stdio: 'ignore' }).status === 0;
const missing = [...(existsSync(chromium) ? [] : ['chromium']), ...(hasFont() ? [] : ['fonts-noto-cjk'])];

if (missing.length > 0) {
  const isRoot = process.getuid?.() === 0;
  const sudo = !isRoot && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  const command = `apt-get install -y ${missing.join(' ')}`;
  if (!isRoot && !sudo) {
    process.stderr.write(
      `The tests need ${missing.join(' and ')}. Install with:\n  sudo apt-get update && sudo ${command}\n`,
    );
    process.exit(1);
  }
  const prefix = isRoot ? '' : 'sudo ';
  process.stderr.write(`Installing ${missing.join(', ')} from Debian for the end-to-end tests…\n`);
  execSync(`${prefix}apt-get update -qq && DEBIAN_FRONTEND=noninteractive ${prefix}${command} -qq`, {
    stdio: 'inherit',
  });
}
