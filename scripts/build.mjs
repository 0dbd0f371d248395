// Bundles the Node side (CLI, and later the Electron shell and the renderer) with esbuild.
// Dependencies stay external: they are installed next to us in node_modules.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';

mkdirSync('dist', { recursive: true });
const started = Date.now();
await build({
  entryPoints: { cli: 'main/cli/index.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
console.log(`build: dist/cli.js in ${Date.now() - started} ms`);
