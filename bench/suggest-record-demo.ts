// Records the demo system's runs into fixtures for `bench:suggest`, once: reads the passed executions
// of examples/demo-read-through.clnrm.toml from a data folder filled by repeated `clnrm run`s and writes
// each as one OTLP JSON Lines file, oldest first.
// Run: for i in $(seq 50); do node bin/clnrm.js run examples/demo-read-through.clnrm.toml --data-dir D; done
//      npx tsx bench/suggest-record-demo.ts D
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTraceFile } from '../shared/otlp';
import { openStore } from '../main/store';
import { runsFromStore } from '../main/intelligence/sources';

const DEMO_TEST = fileURLToPath(new URL('../examples/demo-read-through.clnrm.toml', import.meta.url));
const DEMO_FIXTURES = fileURLToPath(new URL('fixtures/suggest-demo', import.meta.url));

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: tsx bench/suggest-record-demo.ts DATA_DIR');
  const store = await openStore({ dataDir: resolve(dataDir) });
  try {
    const { runs, notes } = await runsFromStore(store, DEMO_TEST, 10_000);
    for (const n of notes) console.log(`note: ${n}`);
    await mkdir(DEMO_FIXTURES, { recursive: true });
    const oldestFirst = [...runs].reverse();
    for (const [k, run] of oldestFirst.entries()) {
      await writeFile(join(DEMO_FIXTURES, `${String(k).padStart(2, '0')}-${run.id}.jsonl`), formatTraceFile(run.spans, 'otlp-jsonl'));
    }
    console.log(`${runs.length} runs written to ${DEMO_FIXTURES}`);
  } finally {
    await store.dispose();
  }
}

void main();
