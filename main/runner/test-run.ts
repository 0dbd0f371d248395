// One concrete test (one matrix combination): its `clnrm.test` span, its own plugins, each scenario in
// order, `[determinism]` iterations compared by normalized trace hash (differences named with diffTraces).
import { toProblem, type Problem } from '../../shared/errors';
import { diffTraces } from '../../shared/expect';
import type { Span } from '../../shared/model';
import type { TestInfo } from '../../shared/plugins';
import type { TestFile } from '../../shared/spec';
import type { MemoryAdjustment } from '../../shared/healing';
import { withMemory } from '../healing/run-healing';
import { autoCaptureBaseline } from '../perf/baselines';
import { loadTestPlugins } from './plugins';
import { runScenario, type RunnerEnvironment } from './scenario';
import { patternTestsOf } from './scenario-chaos';
import { errorStatus, type OpenSpan } from './self-trace';
import { executionSpans } from './span-wait';
import type { DeterminismResult, ScenarioExecution, TestResult, Verdict } from './types';

export interface TestRequest {
  readonly test: TestFile;
  readonly file: string;
  /** Judge the runner's own spans too (self-test). */
  readonly includeRunnerSpans?: boolean;
  /** Where relative paths (plugin modules of inline tests) resolve. */
  readonly cwd?: string;
}

function determinismOf(executions: ScenarioExecution[], spansOf: (executionId: string) => Span[], excludeAttributes: readonly string[] | undefined): DeterminismResult {
  const hashes = executions.map((e) => e.traceHash);
  const differing = executions.findIndex((e) => e.traceHash !== hashes[0]);
  if (differing < 0) return { iterations: executions.length, hashes, passed: true, differences: [] };
  const differences = diffTraces(spansOf(executions[0]!.runId), spansOf(executions[differing]!.runId), { excludeAttributes });
  return { iterations: executions.length, hashes, passed: false, differences, differingIteration: differing + 1 };
}

function testVerdict(executions: ScenarioExecution[], determinism: DeterminismResult[], problems: Problem[]): Verdict {
  if (problems.length > 0 || executions.some((e) => e.verdict === 'error')) return 'error';
  if (executions.some((e) => e.verdict === 'failed') || determinism.some((d) => !d.passed)) return 'failed';
  return 'passed';
}

async function runScenarios(env: RunnerEnvironment, req: TestRequest, testSpan: OpenSpan): Promise<{ executions: ScenarioExecution[]; determinism: DeterminismResult[] }> {
  const { test, file } = req;
  // Only `iterations` repeats a scenario: clnrm's `[determinism]` is just `seed` and `freeze_clock`, and
  // its files spell repeated runs out as separate `[[scenario]]` entries.
  const iterations = test.determinism?.iterations ?? 1;
  const executions: ScenarioExecution[] = [];
  const determinism: DeterminismResult[] = [];
  const healing = env.healing?.forTest(test, file);
  // Each `[chaos.patterns]` test runs every scenario in executions of its own (fresh services: a breaker
  // opened by one test must not carry into the next); without patterns, one pass with no pattern.
  const patterns = patternTestsOf(test);
  const passes = patterns.length > 0 ? patterns : [undefined];
  for (const [pattern, scenario] of passes.flatMap((p) => test.scenarios.map((s) => [p, s] as const))) {
    const runs: ScenarioExecution[] = [];
    const where = { file, test, scenario: scenario.name };
    for (let iteration = 1; iteration <= iterations && !env.signal.aborted; iteration++) {
      // A retry after an OOM kill runs with more memory (main/healing/run-healing.ts), the file unchanged.
      const once = (adjust?: MemoryAdjustment) =>
        runScenario(env, { test: withMemory(test, adjust), file, scenario, iteration, iterations, testSpan, includeRunnerSpans: req.includeRunnerSpans, ...(pattern ? { pattern } : {}) });
      const execution = healing ? await healing.run(env, where, once) : await once();
      runs.push(execution);
      // An execution that could not run (services did not start) says nothing about determinism.
      if (execution.verdict === 'error') break;
    }
    executions.push(...runs);
    let deterministic: boolean | undefined;
    if (iterations > 1 && runs.length === iterations) {
      const found = determinismOf(runs, (id) => executionSpans(env.store, id), test.determinism?.exclude_fields);
      determinism.push(healing ? await healing.determinism(env, where, found, runs) : found);
      deterministic = determinism.at(-1)!.passed;
    }
    await captureQuietly(env, req, scenario.name, runs, deterministic);
  }
  return { executions, determinism };
}

/** `[performance.baseline.capture]` auto after a scenario's executions; a failure is a warning, never a verdict. */
async function captureQuietly(env: RunnerEnvironment, req: TestRequest, scenario: string, runs: ScenarioExecution[], deterministic: boolean | undefined): Promise<void> {
  try {
    const executions = runs.map((e) => ({ id: e.runId, verdict: e.verdict, spans: executionSpans(env.store, e.runId) }));
    const note = await autoCaptureBaseline({ store: env.store, test: req.test, file: req.file, scenario, runId: env.runId, executions, deterministic });
    if (note !== undefined) env.emit({ type: 'log', source: req.test.name, message: note });
  } catch (error) {
    env.emit({ type: 'warning', message: `${req.file}: could not capture a baseline for ${req.test.name} / ${scenario}: ${toProblem(error).message}` });
  }
}

export async function runTest(env: RunnerEnvironment, req: TestRequest): Promise<TestResult> {
  const { test, file } = req;
  const startedMs = Date.now();
  const testSpan = env.runSpan.child('clnrm.test', { 'test.name': test.name, 'test.file': file, 'test.hermetic': true, component: 'test_executor' });
  env.emit({ type: 'test-started', test: test.name, file });
  const info: TestInfo = { runId: env.runId, testName: test.name, file };
  const problems: Problem[] = [];
  let executions: ScenarioExecution[] = [];
  let determinism: DeterminismResult[] = [];
  const loaded = await loadTestPlugins(test, file, req.cwd ?? process.cwd(), {
    log: (plugin, message) => env.emit({ type: 'log', source: `${test.name} [${plugin}]`, message }),
    onFailure: (problem) => env.emit({ type: 'warning', message: `${file}: ${problem.message}` }),
  }).catch((error: unknown) => {
    problems.push(toProblem(error));
    return undefined;
  });
  for (const warning of loaded?.warnings ?? []) env.emit({ type: 'warning', message: `${file}: ${warning}` });
  const hooks = env.hooks.with(loaded?.registry);
  const scoped: RunnerEnvironment = { ...env, hooks };
  if (loaded) {
    await hooks.call('onTestStart', info);
    if (test.scenarios.length === 0) problems.push({ code: 'toml.shape', message: 'the test has no scenario: add [[scenario]] or [[steps]]', file });
    try {
      ({ executions, determinism } = await runScenarios(scoped, req, testSpan));
    } catch (error) {
      problems.push(toProblem(error));
    }
  }
  const durationMs = Date.now() - startedMs;
  const verdict = testVerdict(executions, determinism, problems);
  await hooks.call('onTestEnd', { ...info, passed: verdict === 'passed', verdict, durationMs });
  await loaded?.registry?.dispose();
  testSpan.end({ result: verdict === 'passed' ? 'pass' : 'fail', 'test.verdict': verdict, 'test.executions': executions.length }, verdict === 'passed' ? { code: 'ok' } : errorStatus(verdict));
  const result: TestResult = {
    file,
    name: test.name,
    verdict,
    startedAt: new Date(startedMs).toISOString(),
    durationMs,
    executions,
    ...(determinism.length > 0 ? { determinism } : {}),
    problems,
  };
  env.emit({ type: 'test-finished', test: test.name, file, verdict, durationMs, ...(problems[0] ? { reason: problems[0].message } : {}), ...(env.engine !== undefined ? { engine: env.engine } : {}) });
  return result;
}
