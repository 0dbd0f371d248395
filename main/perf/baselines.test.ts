// Auto capture (which scenarios become baselines), the file's own commit, finding the baseline an
// `[[expect.regression]]` names, the runner's judgement when the baselines cannot be read, and
// `[performance.regression.thresholds]` judged against the baseline `[performance] baseline_name` names.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseTestFile } from '../../shared/spec';
import type { TestFile } from '../../shared/spec';
import { openStore, type TraceStore } from '../store';
import { makeSpan, resourceFor } from '../store/test-spans';
import { autoCaptureBaseline, fileCommit, findBaseline } from './baselines';
import { judgePerformance } from './run-checks';

const HERE = fileURLToPath(import.meta.url);
const environment = { host: 'h', platform: 'linux', engine: 'unix', clnrmVersion: '1', ci: false };

function testFile(extra: string): TestFile {
  const r = parseTestFile(`[meta]\nname = "t"\nversion = "1"\n\n[[scenario]]\nname = "s"\nrun = "true"\n${extra}`, { file: 't.clnrm.toml' });
  expect(r.errors).toEqual([]);
  return r.tests[0]!;
}

const spans = [1, 2, 3].map((i) => makeSpan({ trace: i, span: i, name: 'db.query', durationMs: 10 * i, resource: resourceFor('api') }));
const passed = [{ id: 'e00000000001', verdict: 'passed', spans }];

let store: TraceStore;
beforeEach(async () => {
  store = await openStore({ inMemory: true });
  await store.recordRun({ id: 'r00000000001', origin: 'cli', startedAt: 1, environment, files: [], passed: 1, failed: 0, errors: 0, skipped: 0 });
});
afterEach(() => store.dispose());

describe('auto capture', () => {
  const AUTO = '[performance]\nbaseline_name = "good"\n[performance.baseline.capture]\nmode = "auto"\n';
  const request = (test: TestFile, executions = passed, deterministic?: boolean) => ({ store, test, file: HERE, scenario: 's', runId: 'r00000000001', executions, deterministic });

  it('saves a named baseline with the file repository’s commit when every execution passed', async () => {
    const note = await autoCaptureBaseline(request(testFile(AUTO)));
    const [b] = await store.listBaselines();
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: fileURLToPath(new URL('.', import.meta.url)) }).toString().trim();
    expect(b).toMatchObject({ name: 'good', mode: 'auto', testName: 't', scenario: 's', commit: head, environment, executions: ['e00000000001'] });
    expect(b!.spans['db.query']).toMatchObject({ count: 3, p50: 20 });
    // The three spans start together and the longest lasts 30 ms: 3 in 30 ms.
    expect(b!.throughput).toEqual({ 'db.query': { count: 3, windowMs: 30, perSecond: 100 } });
    expect(note).toBe(`baseline ${b!.id} captured for t / s (1 span names, commit ${head.slice(0, 10)})`);
  });

  it('saves nothing without auto, after a failure, or without proven determinism when required', async () => {
    expect(await autoCaptureBaseline(request(testFile('')))).toBeUndefined();
    expect(await autoCaptureBaseline(request(testFile(AUTO), [...passed, { id: 'e00000000002', verdict: 'failed', spans }]))).toBeUndefined();
    const strict = testFile(`${AUTO}require_determinism = true\n`);
    expect(await autoCaptureBaseline(request(strict))).toBe('no baseline captured for t / s: require_determinism is set and it ran once (set [determinism] iterations = 2 or more)');
    expect(await autoCaptureBaseline(request(strict, passed, false))).toMatch(/its iterations gave different traces$/);
    expect(await store.listBaselines()).toEqual([]);
    expect(await autoCaptureBaseline(request(strict, passed, true))).toMatch(/^baseline \w+ captured/);
  });

  it('has no commit outside a git repository', async () => {
    expect(await fileCommit('/proc/version')).toBeUndefined();
  });
});

describe('finding the baseline to compare with', () => {
  it('takes the newest of the test and scenario, or the one named, and says what is missing', async () => {
    const test = testFile('[performance.baseline.capture]\nmode = "auto"\n');
    await autoCaptureBaseline({ store, test, file: HERE, scenario: 's', runId: 'r00000000001', executions: passed, deterministic: undefined });
    const [b] = await store.listBaselines();
    expect((await findBaseline(store, 't', 's', undefined)).baseline?.id).toBe(b!.id);
    expect((await findBaseline(store, 't', 's', 'latest')).baseline?.id).toBe(b!.id);
    expect((await findBaseline(store, 't', 's', b!.id.slice(0, 5))).baseline?.id).toBe(b!.id);
    expect(await findBaseline(store, 't', 'other', undefined)).toEqual({ missing: 'no baseline for test "t", scenario "other" in this store' });
    expect((await findBaseline(store, 't', 's', 'v9')).missing).toBe('no baseline named or with id "v9" for test "t", scenario "s" in this store');
  });

  it('a store that cannot be read fails a named comparison with the reason', async () => {
    const broken = { saveBaseline: () => Promise.reject(new Error('x')), listBaselines: () => Promise.reject(new Error('disk gone')) };
    const test = testFile('[[expect.regression]]\ncompare_to_baseline = "v1"\n');
    const { results } = await judgePerformance(broken, test, 's', spans, []);
    expect(results).toEqual([expect.objectContaining({ expectation: 'expect.regression[0]', passed: false, message: expect.stringMatching(/^no baseline to compare with: the baselines could not be read \(disk gone\)/) })]);
  });
});

describe('[performance.regression.thresholds] in the runner', () => {
  const THRESHOLDS = '[performance]\nbaseline_name = "good"\n[performance.regression.thresholds]\np95_latency_increase_max_percent = 15\nthroughput_decrease_max_percent = 10\n';
  const slower = [1, 2, 3].map((i) => makeSpan({ trace: i, span: i, name: 'db.query', durationMs: 20 * i, resource: resourceFor('api') }));

  it('is not compared before a baseline exists, then fails against it naming metrics, percents and baseline', async () => {
    const test = testFile(THRESHOLDS);
    const first = await judgePerformance(store, test, 's', spans, []);
    expect(first.results).toEqual([expect.objectContaining({ expectation: 'performance.regression.thresholds', passed: true, message: expect.stringMatching(/^not compared: no baseline named or with id "good" for test "t", scenario "s"/) })]);
    await autoCaptureBaseline({ store, test: testFile(`${THRESHOLDS}[performance.baseline.capture]\nmode = "auto"\n`), file: HERE, scenario: 's', runId: 'r00000000001', executions: passed, deterministic: undefined });
    const [b] = await store.listBaselines();
    const { results, regressions } = await judgePerformance(store, test, 's', slower, []);
    expect(results).toHaveLength(1);
    expect(results[0]!.passed).toBe(false);
    // 3 spans in 60 ms now against 3 in 30 ms: half the throughput.
    expect(results[0]!.message).toMatch(new RegExp(`^regression against baseline ${b!.id} \\("good"\\) of commit [0-9a-f]{10}: "db.query" p95 29.0 ms → 58.0 ms \\(\\+100.0 %, limit \\+15 %\\); "db.query" throughput 100/s → 50.0/s \\(-50.0 %, limit -10 %\\)$`));
    // The thresholds table writes no report of its own ([[expect.regression]] report_path does).
    expect(regressions).toEqual([]);
  });
});
