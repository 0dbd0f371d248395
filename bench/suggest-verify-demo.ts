// Checks what bench:suggest learns from the demo recording on new real runs: mines the first 60 runs of
// bench/fixtures/suggest-demo, writes every suggestion (not already in the file) into a copy of
// bench/fixtures/suggest-demo.clnrm.toml through the same writer as `clnrm suggest --write`, then runs that
// copy RUNS times on Docker and prints each run's verdict and the expectations that failed.
// With KEEP_DIR, each new run's system spans are kept there as gzipped OTLP JSON Lines, with a recording.json
// (when, on how many cores, the load average after each run) as the recorder writes them:
// bench:suggest judges the runs kept in bench/fixtures/suggest-demo-new this way. Needs Docker and the cleanroom/demo image.
// Run: npx tsx bench/suggest-verify-demo.ts RUNS [KEEP_DIR]
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { applySuggestions, suggestAssertions, type MiningRun } from '../shared/intelligence';
import { parseTestFile } from '../shared/spec';
import { parseToml } from '../shared/spec/toml-parse';
import { formatTraceFile, parseTraceFile } from '../shared/otlp';
import { openStore } from '../main/store';
import { runTests } from '../main/runner/runner';
import { executionSpans } from '../main/intelligence/sources';

const DEMO_TEST = fileURLToPath(new URL('fixtures/suggest-demo.clnrm.toml', import.meta.url));
const DEMO_FIXTURES = fileURLToPath(new URL('fixtures/suggest-demo', import.meta.url));
const LEARN = 60;

/** The test file with every suggestion learned from the first LEARN recorded runs written into it. */
function learnedFile(): { text: string; written: number } {
  const files = readdirSync(DEMO_FIXTURES).filter((f) => f.endsWith('.jsonl.gz')).sort().slice(0, LEARN);
  const runs: MiningRun[] = files.map((f) => ({ id: f, spans: parseTraceFile(gunzipSync(readFileSync(join(DEMO_FIXTURES, f))).toString('utf8'), f).spans }));
  const source = readFileSync(DEMO_TEST, 'utf8');
  const test = parseTestFile(source, { file: DEMO_TEST, env: process.env }).tests[0];
  const raw = parseToml(source, DEMO_TEST);
  if (!test || !raw.ok) throw new Error(`${DEMO_TEST} does not parse`);
  const report = suggestAssertions(runs, {}, { raw: raw.value, config: { expect: test.expect } });
  const applied = applySuggestions(source, report.suggestions.filter((s) => !s.conflict), DEMO_TEST);
  if (!applied.ok) throw new Error(applied.problem.message);
  const errors = parseTestFile(applied.text, { file: DEMO_TEST, env: process.env }).errors;
  if (errors.length) throw new Error(`the written file does not validate: ${errors.map((e) => e.message).join('; ')}`);
  return { text: applied.text, written: applied.written.length };
}

async function main(): Promise<void> {
  const count = Number(process.argv[2]);
  const keep = process.argv[3];
  if (!Number.isInteger(count) || count < 1 || count > 100) throw new Error('usage: tsx bench/suggest-verify-demo.ts RUNS [KEEP_DIR]   (RUNS 1‥100)');
  if (keep) mkdirSync(keep, { recursive: true });
  const startedAt = new Date().toISOString();
  const loads: number[] = [];
  const { text, written } = learnedFile();
  const dir = mkdtempSync(join(tmpdir(), 'clnrm-suggest-verify-'));
  const file = join(dir, 'learned.clnrm.toml');
  writeFileSync(file, text);
  console.log(`${written} suggestions learned from ${LEARN} recorded runs written into ${file}`);
  let passed = 0;
  try {
    for (let k = 0; k < count; k++) {
      const store = await openStore({ inMemory: true });
      try {
        const test = (await runTests({ sources: [{ file }], cwd: dir, env: process.env, store })).tests[0];
        const execution = test?.executions[0];
        if (!test || !execution) throw new Error(`run ${k + 1} did not execute: ${JSON.stringify(test?.problems)}`);
        const failed = execution.expectations.filter((e) => !e.passed);
        loads.push(Math.round(loadavg()[0]! * 100) / 100);
        if (keep) writeFileSync(join(keep, 'recording.json'), `${JSON.stringify({ test: 'bench/fixtures/suggest-demo.clnrm.toml', learnedFrom: LEARN, startedAt, endedAt: new Date().toISOString(), cores: cpus().length, loadAverageAfterEachRun: loads })}\n`);
        if (keep) writeFileSync(join(keep, `${String(k).padStart(2, '0')}-${execution.runId}.jsonl.gz`), gzipSync(formatTraceFile(await executionSpans(store, execution.runId), 'otlp-jsonl')));
        if (test.verdict === 'passed') passed++;
        console.log(`run ${k + 1}: ${test.verdict}, ${execution.expectations.length - failed.length} of ${execution.expectations.length} expectations passed (load ${loadavg()[0]!.toFixed(1)})`);
        for (const f of failed) console.log(`  ${f.expectation}: ${f.message}`);
      } finally {
        await store.dispose();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`${passed} of ${count} new real runs passed every learned expectation`);
}

void main();
