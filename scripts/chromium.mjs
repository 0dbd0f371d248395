// Debian's Chromium as every browser test, benchmark and screenshot run launches it (DESIGN.md,
// "Browsers in tests"): never a downloaded browser, and no background traffic to a closed network.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
