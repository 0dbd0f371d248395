// Records real runs of the demo system (cleanroom/demo) for the regression-injection suite, once: each run
// makes READS requests through api that each miss the cache and ask db (one db.query span per request), with
// the db answering DEMO_DB_DELAY_MS later; per run it keeps only the p50/p95 of db.query and of the request's
// root span (GET /items/:id), so the fixture stays a few KB. Delays are interleaved round by round (0, d1, 0,
// d2, …) so a change in the machine's load falls on every delay alike. FIXTURE names the file in
// shared/perf/fixtures (the suite reads demo-runs-quiet.json and demo-runs-loaded.json: which one a recording
// is depends on the load average it records). `--append` adds a session to the runs already in the fixture
// (its delays are compared with its own delay-0 runs). Needs Docker and the cleanroom/demo image.
// Run: npx tsx bench/perf-record-demo.ts ROUNDS DELAYS_MS FIXTURE [--append]   (DELAYS_MS comma-separated, like 1,3,10)
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DemoRecordingSchema, type DemoRecording, type DemoRunRecord } from '../shared/perf/recorded-series';
import { percentiles } from '../shared/perf/stats';
import { runTests } from '../main/runner/runner';
import { openStore, type TraceStore } from '../main/store';

const FIXTURES = fileURLToPath(new URL('../shared/perf/fixtures/', import.meta.url));
const USAGE = 'usage: tsx bench/perf-record-demo.ts ROUNDS DELAYS_MS FIXTURE [--append]   (FIXTURE: a file name like demo-runs-quiet.json)';
const READS = 60;

function testFile(delayMs: number): string {
  const health = (port: number) => `health_check = { cmd = ["wget", "-qO-", "http://127.0.0.1:${port}/health"], interval = 1, retries = 30 }`;
  return `[meta]
name = "demo_db_delay_record"
version = "1"

[services.db]
image = "cleanroom/demo:latest"
args = ["db"]
ports = [7002]
env = { OTEL_SERVICE_NAME = "db", DEMO_DB_DELAY_MS = "${delayMs}" }
${health(7002)}

[services.cache]
image = "cleanroom/demo:latest"
args = ["cache"]
ports = [7001]
env = { OTEL_SERVICE_NAME = "cache" }
${health(7001)}

[services.api]
image = "cleanroom/demo:latest"
args = ["api"]
ports = [8080]
env = { OTEL_SERVICE_NAME = "api" }
depends_on = ["cache", "db"]
${health(8080)}

[[scenario]]
name = "reads"
timeout_ms = 120000

[[scenario.steps]]
name = "reads"
service = "api"
command = ["sh", "-c", "i=0; while [ $i -lt ${READS} ]; do wget -qO- http://api:8080/items/none$i >/dev/null 2>&1; i=$((i+1)); done; true"]
`;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
function p50p95(ms: number[]): { p50: number; p95: number } {
  const [p50, p95] = percentiles(ms, [50, 95]) as [number, number];
  return { p50: round3(p50), p95: round3(p95) };
}

async function recordRun(store: TraceStore, dir: string, session: number, delayMs: number): Promise<DemoRunRecord> {
  const file = join(dir, 'demo-delay.clnrm.toml');
  writeFileSync(file, testFile(delayMs));
  const summary = await runTests({ sources: [{ file }], cwd: dir, env: process.env, store });
  const execution = summary.tests[0]?.executions[0];
  if (!execution || summary.tests[0]!.verdict !== 'passed') throw new Error(`demo run with delay ${delayMs} ms did not pass: ${JSON.stringify(summary.tests[0]?.problems ?? summary)}`);
  const spans = store.live.spans({ executionId: execution.runId });
  const durations = (name: string) => spans.filter((s) => s.name === name).map((s) => s.durationUs / 1000);
  const db = durations('db.query');
  const root = durations('GET /items/:id');
  if (db.length !== READS || root.length !== READS) throw new Error(`expected ${READS} db.query and root spans, got ${db.length} and ${root.length}`);
  return { session, delayMs, dbQuery: p50p95(db), root: p50p95(root) };
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2]);
  const delays = (process.argv[3] ?? '').split(',').map(Number);
  const name = process.argv[4] ?? '';
  if (!Number.isInteger(rounds) || rounds < 1 || delays.some((d) => !Number.isInteger(d) || d <= 0) || !/^[\w.-]+\.json$/.test(name)) throw new Error(USAGE);
  const fixture = join(FIXTURES, name);
  const earlier = process.argv[5] === '--append' && existsSync(fixture) ? DemoRecordingSchema.parse(JSON.parse(readFileSync(fixture, 'utf8'))) : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'clnrm-perf-record-'));
  const runs: DemoRunRecord[] = [...(earlier?.runs ?? [])];
  const session = Math.max(0, ...runs.map((r) => r.session)) + 1;
  const loads: number[] = earlier ? [earlier.loadAverage.min, earlier.loadAverage.max] : [];
  const allDelays = [...new Set([...(earlier?.delaysMs ?? []), ...delays])].sort((a, b) => a - b);
  try {
    for (let r = 0; r < rounds; r++) {
      for (const delay of delays.flatMap((d) => [0, d])) {
        // A fresh store per run: the live index would otherwise hold every earlier run's spans.
        const store = await openStore({ inMemory: true });
        try {
          runs.push(await recordRun(store, dir, session, delay));
        } finally {
          await store.dispose();
        }
        loads.push(loadavg()[0]!);
        // Written after every run, so a long recording stopped early still leaves what it measured.
        writeFixture(fixture, { recordedAt: new Date().toISOString(), cores: cpus().length, loadAverage: { min: round3(Math.min(...loads)), max: round3(Math.max(...loads)) }, readsPerRun: READS, delaysMs: allDelays, runs });
        const last = runs.at(-1)!;
        console.log(`round ${r + 1}/${rounds} delay ${delay} ms: db.query p50/p95 ${last.dbQuery.p50}/${last.dbQuery.p95} ms, root p50/p95 ${last.root.p50}/${last.root.p95} ms (load ${loads.at(-1)!.toFixed(1)})`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`${runs.length} runs in ${fixture}`);
}

function writeFixture(file: string, recording: DemoRecording): void {
  writeFileSync(file, `${JSON.stringify(recording)}\n`);
}

void main();
