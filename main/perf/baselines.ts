// Capturing and finding baselines (shared/perf/baseline.ts: latencies and throughput) in the store: from a passing run's
// executions, automatically (`[performance.baseline.capture] mode = "auto"`) or by `clnrm perf baseline
// save`; the commit is the test file's own repository HEAD (the file may live in another repository
// than the folder `clnrm run` was started in), the environment the run's.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import type { Span } from '../../shared/model';
import { summariseSpans, summariseThroughput, type BaselineRecord } from '../../shared/perf/baseline';
import type { RunEnvironment } from '../../shared/run/records';
import type { TestFile } from '../../shared/spec';
import type { BaselineQuery } from '../store';

const run = promisify(execFile);

/** The store calls baselines need (a TraceStore; tests may give less). */
export interface BaselineStore {
  saveBaseline(baseline: BaselineRecord): Promise<void>;
  listBaselines(query?: BaselineQuery): Promise<BaselineRecord[]>;
}

/** HEAD of the git repository holding `file`, or undefined outside one (or without git). */
export async function fileCommit(file: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['rev-parse', 'HEAD'], { cwd: dirname(file), timeout: 3000 });
    return /^[0-9a-f]{40,64}$/.test(stdout.trim()) ? stdout.trim() : undefined;
  } catch {
    return undefined;
  }
}

export interface CaptureRequest {
  readonly testName: string;
  readonly testFile: string;
  readonly scenario: string;
  readonly runId: string;
  /** The executions, each with the system's spans (throughput is measured per execution, then pooled). */
  readonly executions: ReadonlyArray<{ readonly id: string; readonly spans: readonly Span[] }>;
  readonly environment: RunEnvironment;
  readonly mode: 'auto' | 'manual';
  readonly name?: string;
  /** The commit to record (a stored run's); default: HEAD of the test file's repository now. */
  readonly commit?: string;
}

/** Saves a baseline of the spans; undefined (nothing saved) when there are none. */
export async function captureBaseline(store: BaselineStore, req: CaptureRequest): Promise<BaselineRecord | undefined> {
  const spans = req.executions.flatMap((e) => e.spans);
  if (spans.length === 0) return undefined;
  const commit = req.commit ?? (await fileCommit(req.testFile));
  const baseline: BaselineRecord = {
    id: randomBytes(6).toString('hex'),
    ...(req.name !== undefined ? { name: req.name } : {}),
    testName: req.testName,
    testFile: req.testFile,
    scenario: req.scenario,
    ...(commit !== undefined ? { commit } : {}),
    environment: req.environment,
    runId: req.runId,
    executions: req.executions.map((e) => e.id),
    capturedAt: Date.now(),
    mode: req.mode,
    spans: summariseSpans(spans),
    throughput: summariseThroughput(req.executions.map((e) => e.spans)),
  };
  await store.saveBaseline(baseline);
  return baseline;
}

/** What a file's `[performance.baseline.capture]` asks for: capture after a passing scenario, and whether only deterministic ones. */
export function autoCapture(test: TestFile): { readonly auto: boolean; readonly requireDeterminism: boolean } {
  const capture = test.performance?.baseline?.capture;
  const auto = capture?.mode?.toLowerCase() === 'auto' || capture?.auto_capture_on_success === true;
  return { auto, requireDeterminism: capture?.require_determinism === true };
}

/**
 * The baseline `compare_to_baseline` names (a name or an id prefix) for this test and scenario, or
 * the newest one when it is absent or "latest"; `missing` says what was looked for when there is none.
 */
export async function findBaseline(store: BaselineStore, testName: string, scenario: string, compareTo: string | undefined): Promise<{ baseline?: BaselineRecord; missing: string }> {
  const named = compareTo !== undefined && compareTo.toLowerCase() !== 'latest';
  const [baseline] = await store.listBaselines({ testName, scenario, ...(named ? { nameOrId: compareTo } : {}), limit: 1 });
  const what = named ? `no baseline named or with id ${JSON.stringify(compareTo)}` : 'no baseline';
  return { ...(baseline ? { baseline } : {}), missing: `${what} for test ${JSON.stringify(testName)}, scenario ${JSON.stringify(scenario)} in this store` };
}

export interface AutoCaptureRequest {
  readonly store: BaselineStore & { getRun(id: string): Promise<{ run: { environment: RunEnvironment } } | undefined> };
  readonly test: TestFile;
  readonly file: string;
  readonly scenario: string;
  readonly runId: string;
  /** The scenario's executions in this run, with their verdicts and system spans. */
  readonly executions: ReadonlyArray<{ readonly id: string; readonly verdict: string; readonly spans: readonly Span[] }>;
  /** The determinism comparison of those executions, when `[determinism] iterations` > 1 ran them all. */
  readonly deterministic: boolean | undefined;
}

/**
 * `[performance.baseline.capture]` auto: a baseline of a scenario whose executions all passed (and, with
 * `require_determinism`, gave identical traces over at least two iterations). Answers what to tell the user.
 */
export async function autoCaptureBaseline(req: AutoCaptureRequest): Promise<string | undefined> {
  const { auto, requireDeterminism } = autoCapture(req.test);
  if (!auto || req.executions.length === 0 || req.executions.some((e) => e.verdict !== 'passed')) return undefined;
  const where = `${req.test.name} / ${req.scenario}`;
  if (requireDeterminism && req.deterministic !== true) {
    const why = req.deterministic === false ? 'its iterations gave different traces' : 'it ran once (set [determinism] iterations = 2 or more)';
    return `no baseline captured for ${where}: require_determinism is set and ${why}`;
  }
  const recorded = await req.store.getRun(req.runId);
  if (!recorded) return `no baseline captured for ${where}: the run is not in the history`;
  const baseline = await captureBaseline(req.store, {
    testName: req.test.name,
    testFile: req.file,
    scenario: req.scenario,
    runId: req.runId,
    executions: req.executions,
    environment: recorded.run.environment,
    mode: 'auto',
    ...(req.test.performance?.baseline_name !== undefined ? { name: req.test.performance.baseline_name } : {}),
  });
  if (!baseline) return `no baseline captured for ${where}: its executions sent no spans`;
  return `baseline ${baseline.id} captured for ${where} (${Object.keys(baseline.spans).length} span names${baseline.commit ? `, commit ${baseline.commit.slice(0, 10)}` : ''})`;
}
