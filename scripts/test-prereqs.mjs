// First step of `npm test`: the end-to-end tests need Debian's Chromium (Playwright's own browser
// download does not work here) and a CJK font; the MQTT tests start their own Mosquitto and use its
// command-line clients and openssl. Installs what is missing when it can, or says how.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasFont = () => spawnSync('dpkg', ['-s', 'fonts-noto-cjk'], { stdio: 'ignore' }).status === 0;
const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const missing = [
  ...(existsSync(chromium) ? [] : ['chromium']),
  ...(hasFont() ? [] : ['fonts-noto-cjk']),
  ...(existsSync('/usr/sbin/mosquitto') ? [] : ['mosquitto']),
  ...(onPath('mosquitto_pub') ? [] : ['mosquitto-clients']),
  ...(onPath('openssl') ? [] : ['openssl']),
];

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
  process.stderr.write(`Installing ${missing.join(', ')} from Debian for the tests…\n`);
  execSync(`${prefix}apt-get update -qq && DEBIAN_FRONTEND=noninteractive ${prefix}${command} -qq`, {
    stdio: 'inherit',
  });
}
