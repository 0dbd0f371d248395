// Builds everything `clnrm` and the desktop app run from, into dist/:
//   dist/cli.js                         the CLI (ESM; dependencies stay external in node_modules)
//   dist/store-worker.js                the trace store's writer thread (`clnrm collect` starts it)
//   dist/parse-worker.js                the thread test files are parsed in (templates are untrusted)
//   dist/chaos-proxy.cjs                 `clnrm chaos proxy` alone, self-contained (the cleanroom/chaos-proxy image)
//   dist/otlp-relay.cjs                  the OTLP relay for remote engines, self-contained (the cleanroom/otlp-relay image)
//   dist/app/main.cjs                   the Electron main process (CJS, as Electron loads it)
//   dist/app/preload.cjs                the sandboxed preload: ONE self-contained file (a sandboxed
//                                       preload cannot require anything but electron)
//   dist/studio-client/browser-api.js   browser mode's `window.api` over the WebSocket
//   dist/renderer/                      the UI (Vite)
// `--skip-renderer` (or CLNRM_SKIP_RENDERER=1) leaves dist/renderer as it is (fast rebuilds of the Node side).
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';

mkdirSync('dist', { recursive: true });
const skipRenderer = process.argv.includes('--skip-renderer') || process.env.CLNRM_SKIP_RENDERER === '1';
const common = { bundle: true, sourcemap: true, logLevel: 'warning' };
const timed = async (label, work) => {
  const started = Date.now();
  await work();
  console.log(`build: ${label} in ${Date.now() - started} ms`);
};

await timed('dist/cli.js', () =>
  build({ ...common, entryPoints: { cli: 'main/cli/index.ts' }, outdir: 'dist', platform: 'node', format: 'esm', target: 'node20', packages: 'external' }),
);

// The trace store's writer thread (main/store/writer-thread.ts finds it beside dist/cli.js).
await timed('dist/store-worker.js', () =>
  build({ ...common, entryPoints: { 'store-worker': 'main/store/store-worker.ts' }, outdir: 'dist', platform: 'node', format: 'esm', target: 'node20', packages: 'external' }),
);

// The parse thread (main/spec/parse-thread.ts finds it beside dist/cli.js; the desktop shell names it).
await timed('dist/parse-worker.js', () =>
  build({ ...common, entryPoints: { 'parse-worker': 'main/spec/parse-worker.ts' }, outdir: 'dist', platform: 'node', format: 'esm', target: 'node20', packages: 'external' }),
);

// Dependencies bundled in: the fault-proxy image carries this one file and no node_modules.
await timed('dist/chaos-proxy.cjs', () =>
  // CommonJS: commander, bundled in, is CommonJS and requires Node built-ins.
  build({ ...common, entryPoints: ['main/cli/chaos-proxy-main.ts'], outfile: 'dist/chaos-proxy.cjs', platform: 'node', format: 'cjs', target: 'node20' }),
);

// The relay a remote engine's executions send spans to (main/relay): one file, as the image carries no node_modules.
await timed('dist/otlp-relay.cjs', () =>
  build({ ...common, entryPoints: ['main/relay/relay-main.ts'], outfile: 'dist/otlp-relay.cjs', platform: 'node', format: 'cjs', target: 'node20' }),
);

await timed('dist/app/main.cjs', () =>
  build({
    ...common,
    entryPoints: ['main/app/main.ts'],
    outfile: 'dist/app/main.cjs',
    platform: 'node',
    format: 'cjs',
    // Electron 39 embeds Node 22.
    target: 'node22',
    packages: 'external',
    external: ['electron'],
    // CommonJS has no import.meta: main/spec/parse-thread.ts then uses the entry main.ts sets.
    define: { 'import.meta.url': 'undefined' },
  }),
);

await timed('dist/app/preload.cjs', () =>
  build({ ...common, entryPoints: ['main/app/preload.ts'], outfile: 'dist/app/preload.cjs', platform: 'node', format: 'cjs', target: 'node22', minify: true, external: ['electron'] }),
);

await timed('dist/studio-client/browser-api.js', () =>
  build({
    ...common,
    stdin: {
      contents: "import { installBrowserApi } from './renderer/api/ws-transport';\ninstallBrowserApi();\n",
      resolveDir: process.cwd(),
      sourcefile: 'browser-api-entry.ts',
      loader: 'ts',
    },
    outfile: 'dist/studio-client/browser-api.js',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
  }),
);

if (skipRenderer) console.log('build: dist/renderer skipped (--skip-renderer)');
else {
  const { build: viteBuild } = await import('vite');
  await timed('dist/renderer (vite)', () => viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' }));
}
