// Records real runs of the demo system for `bench:suggest`, once: runs bench/fixtures/suggest-demo.clnrm.toml
// (two reads, a miss and a hit, then an order) RUNS times on Docker, one after the other, each with a fresh
// in-memory store, and writes each passed execution's system spans (the runner's own left out, as
// `clnrm suggest --runs` takes them) as one gzipped OTLP JSON Lines file, oldest first, plus recording.json: when,
// on how many cores, and the load average after each run. Replaces what the fixture folder held.
// Needs Docker and the cleanroom/demo image (resources/images/build.sh).
// Run: npx tsx bench/suggest-record-demo.ts RUNS
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTraceFile } from '../shared/otlp';
import { openStore } from '../main/store';
import { runTests } from '../main/runner/runner';
import { executionSpans } from '../main/intelligence/sources';

const DEMO_TEST = fileURLToPath(new URL('fixtures/suggest-demo.clnrm.toml', import.meta.url));
const DEMO_FIXTURES = fileURLToPath(new URL('fixtures/suggest-demo', import.meta.url));

async function recordRun(k: number): Promise<{ file: string; spans: number }> {
  const store = await openStore({ inMemory: true });
  try {
    const summary = await runTests({ sources: [{ file: DEMO_TEST }], cwd: dirname(DEMO_TEST), env: process.env, store });
    const test = summary.tests[0];
    const execution = test?.executions[0];
    if (!execution || test.verdict !== 'passed') throw new Error(`run ${k} did not pass: ${JSON.stringify(test?.problems ?? summary.environmentProblem ?? summary)}`);
    const spans = await executionSpans(store, execution.runId);
    if (spans.length === 0) throw new Error(`run ${k} passed but no span of the system was stored`);
    const file = `${String(k).padStart(2, '0')}-${execution.runId}.jsonl.gz`;
    writeFileSync(join(DEMO_FIXTURES, file), gzipSync(formatTraceFile(spans, 'otlp-jsonl')));
    return { file, spans: spans.length };
  } finally {
    await store.dispose();
  }
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2]);
  if (!Number.isInteger(runs) || runs < 1 || runs > 200) throw new Error('usage: tsx bench/suggest-record-demo.ts RUNS   (1‥200)');
  rmSync(DEMO_FIXTURES, { recursive: true, force: true });
  mkdirSync(DEMO_FIXTURES, { recursive: true });
  const loads: number[] = [];
  const startedAt = new Date().toISOString();
  for (let k = 0; k < runs; k++) {
    const { file, spans } = await recordRun(k);
    loads.push(Math.round(loadavg()[0]! * 100) / 100);
    // Written after every run, so a recording stopped early still says how what it holds was made.
    writeFileSync(join(DEMO_FIXTURES, 'recording.json'), `${JSON.stringify({ test: 'bench/fixtures/suggest-demo.clnrm.toml', startedAt, endedAt: new Date().toISOString(), cores: cpus().length, loadAverageAfterEachRun: loads })}\n`);
    console.log(`${file}: ${spans} spans (load ${loads.at(-1)!.toFixed(2)})`);
  }
  console.log(`${readdirSync(DEMO_FIXTURES).filter((f) => f.endsWith('.jsonl.gz')).length} runs in ${DEMO_FIXTURES}`);
}

void main();
