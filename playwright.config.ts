// Playwright e2e: Debian's Chromium (never a downloaded browser) against the real renderer build,
// served on 127.0.0.1 by e2e/global-setup.ts. `npm test` runs this after Vitest and reads the
// JSON report from test-results/e2e.json.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.mjs';

process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ??= 'test-results/e2e.json';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  outputDir: 'test-results/e2e-artifacts',
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    browserName: 'chromium',
    viewport: { width: 1440, height: 860 },
    launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] },
    trace: 'off',
  },
});
