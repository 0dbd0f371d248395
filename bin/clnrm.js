#!/usr/bin/env node
// The `clnrm` command. The TypeScript sources are bundled into dist/ by `npm run build`
// (run automatically by `npm ci` through the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const entry = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(entry)) {
  console.error('clnrm: dist/cli.js is missing. Run `npm run build` (or `npm ci`) in the Cleanroom Studio folder first.');
  process.exit(2);
}
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv);
