// The injected-delay regression on the real demo system (examples/demo, cleanroom/demo): a test file with
// `[[expect.regression]]` and auto baseline capture runs three times against one store. Run 1 has no
// baseline (not compared) and becomes one; run 2, unchanged, passes against it; run 3, whose db answers
// DEMO_DB_DELAY_MS = 400 (instead of 20) ms later, fails with a message naming db.query's p95 change and the
// baseline, writes its JSON regression report, and is not captured (the baseline stays the good one).
// A throughput bound over the steps' window (≥ 3 requests a second) holds at 20 ms and cannot at 400 ms:
// 20 sequential requests of ≥ 400 ms each take ≥ 8 s, at most 2.5 a second. The same delay drops db.query's
// throughput against the baseline's beyond `[performance.regression.thresholds] throughput_decrease_max_percent`.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectChangePoints } from '../../shared/perf/change-points';
import { announceDockerSkip, probeDocker } from '../docker/test-support';
import { runTests } from '../runner/runner';
import { openStore, type TraceStore } from '../store';

const DEMO = 'cleanroom/demo:latest';
const probe = await probeDocker([DEMO]);
announceDockerSkip('demo regression', probe);

describe('Docker availability', () => {
  it.skipIf(!probe.docker && process.env.CI !== 'true')('has a Docker engine with the demo image (required when CI=true)', () => {
    if (!probe.docker) throw new Error(probe.reason);
  });
});

const health = (port: number) => `health_check = { cmd = ["wget", "-qO-", "http://127.0.0.1:${port}/health"], interval = 1, retries = 30 }`;

/** 20 reads of items that do not exist: each misses the cache and asks db (a db.query span every time). */
function testFile(delayMs: number): string {
  return `[meta]
name = "demo_db_latency"
version = "1"

[services.db]
image = "${DEMO}"
args = ["db"]
ports = [7002]
env = { OTEL_SERVICE_NAME = "db", DEMO_DB_DELAY_MS = "${delayMs}" }
${health(7002)}

[services.cache]
image = "${DEMO}"
args = ["cache"]
ports = [7001]
env = { OTEL_SERVICE_NAME = "cache" }
${health(7001)}

[services.api]
image = "${DEMO}"
args = ["api"]
ports = [8080]
env = { OTEL_SERVICE_NAME = "api" }
depends_on = ["cache", "db"]
${health(8080)}

[performance]
baseline_name = "demo-good"

[performance.baseline.capture]
mode = "auto"

[performance.regression.thresholds]
throughput_decrease_max_percent = 75

[[scenario]]
name = "twenty_reads"
timeout_ms = 60000

[[scenario.steps]]
name = "reads"
service = "api"
command = ["sh", "-c", "i=0; while [ $i -lt 20 ]; do wget -qO- http://api:8080/items/none$i >/dev/null 2>&1; i=$((i+1)); done; true"]

[[expect.performance]]
type = "latency_bounds"
span_name = "db.query"
p95_max_ms = 5000

[[expect.performance]]
type = "throughput"
span_name = "GET /items/:id"
window = "steps"
min_per_second = 3

[[expect.regression]]
span_name = "db.query"
max_p95_increase_percent = 100
method = "statistical"
min_samples = 10
confidence_level = 0.99
report_path = "regression.json"
`;
}

describe.skipIf(!probe.docker)('[[expect.regression]] on the demo with an injected db delay (real engine)', () => {
  let dir: string;
  let store: TraceStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clnrm-regression-'));
    store = await openStore({ inMemory: true });
  });
  afterAll(async () => {
    await store?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  async function runWithDelay(delayMs: number) {
    const file = join(dir, 'demo-latency.clnrm.toml');
    writeFileSync(file, testFile(delayMs));
    const summary = await runTests({ sources: [{ file }], cwd: dir, env: process.env, store });
    const execution = summary.tests[0]!.executions[0]!;
    const regression = execution.expectations.find((e) => e.expectation === 'expect.regression[0]')!;
    const throughput = execution.expectations.find((e) => e.expectation === 'expect.performance[1]')!;
    const thresholds = execution.expectations.find((e) => e.expectation === 'performance.regression.thresholds')!;
    return { test: summary.tests[0]!, execution, regression, throughput, thresholds };
  }

  it('passes against its own baseline and fails with a clear message after the delay', { timeout: 300_000 }, async () => {
    const first = await runWithDelay(20);
    expect(first.test.problems).toEqual([]);
    expect(first.execution.problems).toEqual([]);
    expect(first.regression).toMatchObject({ passed: true, message: expect.stringMatching(/^not compared: no baseline for test "demo_db_latency", scenario "twenty_reads" in this store yet/) });
    expect(first.test.verdict).toBe('passed');
    const [captured] = await store.listBaselines({ testName: 'demo_db_latency' });
    expect(captured).toMatchObject({ name: 'demo-good', scenario: 'twenty_reads', mode: 'auto' });
    expect(captured!.spans['db.query']!.count).toBe(20);
    // The db answers ≥ 20 ms later, so every db.query took at least that.
    expect(captured!.spans['db.query']!.samples[0]).toBeGreaterThanOrEqual(20);
    // 20 sequential db.query spans of ≥ 20 ms each: at most 50 a second over their own window.
    expect(captured!.throughput!['db.query']).toMatchObject({ count: 20, perSecond: expect.any(Number) });
    expect(captured!.throughput!['db.query']!.perSecond).toBeLessThanOrEqual(50);

    const second = await runWithDelay(20);
    expect(second.regression).toMatchObject({ passed: true, message: expect.stringMatching(new RegExp(`^no regression against baseline ${captured!.id} \\("demo-good"\\)`)) });
    expect(second.test.verdict).toBe('passed');
    const baselines = await store.listBaselines({ testName: 'demo_db_latency' });
    expect(baselines).toHaveLength(2);

    const slow = await runWithDelay(400);
    // The figures the README quotes.
    console.log(`[regression on the demo] run 2: ${second.regression.message}\n[regression on the demo] run 3: ${slow.regression.message}`);
    console.log(`[throughput on the demo] run 2: ${second.throughput.message}\n[throughput on the demo] run 3: ${slow.throughput.message}`);
    console.log(`[thresholds on the demo] run 2: ${second.thresholds.message}\n[thresholds on the demo] run 3: ${slow.thresholds.message}`);
    expect(second.thresholds).toMatchObject({ passed: true, message: expect.stringMatching(new RegExp(`^no regression against baseline ${captured!.id} \\("demo-good"\\)`)) });
    expect(slow.thresholds.passed).toBe(false);
    expect(slow.thresholds.message).toMatch(new RegExp(`^regression against baseline ${baselines[0]!.id} \\("demo-good"\\): .*"db\\.query" throughput [\\d.]+/s → [\\d.]+/s \\(-\\d+\\.\\d %, limit -75 %\\)`));
    const requests = /^(?:too few per second: )?20 "GET \/items\/:id" spans in \d+ ms \(the steps' window\): [\d.]+ per second, (?:min|under the min) 3\.00/;
    expect(second.throughput).toMatchObject({ passed: true, message: expect.stringMatching(requests) });
    expect(slow.throughput).toMatchObject({ passed: false, message: expect.stringMatching(requests) });
    expect(slow.test.verdict).toBe('failed');
    expect(slow.regression.passed).toBe(false);
    expect(slow.regression.message).toMatch(new RegExp(`^regression against baseline ${baselines[0]!.id} \\("demo-good"\\)`));
    expect(slow.regression.message).toMatch(/"db\.query" p95 \d+(\.\d+)? ms → \d{3,} ms \(\+\d+\.\d %, limit \+100 %, Mann-Whitney p = [\d.e-]+ \(confidence 100\.00 %\)\)/);
    expect(slow.regression.spans.length).toBeGreaterThan(0);
    // A regressed run is not captured: the newest baseline is still run 2's.
    expect((await store.listBaselines({ testName: 'demo_db_latency' }))[0]!.id).toBe(baselines[0]!.id);
    const report = JSON.parse(readFileSync(join(dir, 'regression.json'), 'utf8')) as { regressed: boolean; entries: Array<{ baseline: { id: string }; findings: Array<{ spanName: string; metric: string; verdict: string; changePercent: number; confidence: number }> }> };
    expect(report.regressed).toBe(true);
    expect(report.entries[0]!.baseline.id).toBe(baselines[0]!.id);
    expect(report.entries[0]!.findings[0]).toMatchObject({ spanName: 'db.query', metric: 'p95', verdict: 'regressed' });
    expect(report.entries[0]!.findings[0]!.changePercent).toBeGreaterThan(100);
    expect(report.entries[0]!.findings[0]!.confidence).toBeGreaterThan(0.99);

    // The same real runs as a history for the change-point detector (each request's db.query one point):
    // runs 2 then 3 hold the injected shift at point 20; runs 1 then 2 hold none (printed, not asserted:
    // the machine's load may itself shift between two runs).
    const dbQueries = (executionId: string) => store.live.spans({ executionId }).filter((x) => x.name === 'db.query').sort((a, b) => a.startUs - b.startUs).map((x) => x.durationUs / 1000);
    const shifted = [...dbQueries(second.execution.runId), ...dbQueries(slow.execution.runId)];
    const flat = [...dbQueries(first.execution.runId), ...dbQueries(second.execution.runId)];
    expect(shifted).toHaveLength(40);
    const found = detectChangePoints(shifted);
    expect(found.some((c) => Math.abs(c.index - 20) <= 3)).toBe(true);
    console.log(`[regression on the demo] change points: shifted history ${JSON.stringify(found.map((c) => c.index))}, flat history ${JSON.stringify(detectChangePoints(flat).map((c) => c.index))}`);
  });
});
