// Where the writer thread's entry file is: beside this module when running from TypeScript
// (development, tests: store-worker.ts under tsx), or dist/store-worker.js beside the bundled CLI.
// Kept out of trace-store.ts so bundles that never start a writer thread (the Electron main
// process, CommonJS) do not carry `import.meta`.
export function writerThreadEntry(): URL {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? './store-worker.ts' : './store-worker.js', here);
}
