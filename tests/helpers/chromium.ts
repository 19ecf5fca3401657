/**
 * Debian's Chromium and the flags verified on our machines (../shared/STACK-NOTES.md): WebGL through
 * SwiftShader, and no background traffic to hosts this network refuses. Playwright adds --headless.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-swiftshader',
];
