// One concrete test (one matrix combination): each scenario in order, `[determinism]` iterations
// compared by normalized trace hash (differences named with diffTraces), plugin hooks around it.
import { toProblem, type Problem } from '../../shared/errors';
import { diffTraces } from '../../shared/expect';
import type { Span } from '../../shared/model';
import type { PluginRegistry } from '../../shared/plugins';
import type { TestFile } from '../../shared/spec';
import { loadTestPlugins } from './plugins';
import { runScenario, type RunnerEnvironment } from './scenario';
import { errorStatus, type OpenSpan } from './self-trace';
import type { DeterminismResult, ScenarioExecution, TestResult, Verdict } from './types';

export const DEFAULT_DETERMINISM_ITERATIONS = 5;

export interface TestRequest {
  readonly test: TestFile;
  readonly file: string;
  readonly runSpan: OpenSpan;
  readonly plugins?: PluginRegistry;
  /** Evaluate expectations over the runner's own spans too (self-test). */
  readonly includeRunnerSpans?: boolean;
  /** Where relative paths (plugin modules of inline tests) resolve. */
  readonly cwd?: string;
}

/** Span names the runner itself emits (see self-trace.ts). */
const RUNNER_SPAN_NAME = /"clnrm\.(run|test|scenario|evaluate|step:[^"]*|service\.start|container\.[a-z]+)"/;

/**
 * The runner's own spans join the evaluated trace when an expectation names one of them (as clnrm's
 * self-testing files do); otherwise only the system's spans are evaluated, so counts such as
 * `spans_total` describe the system alone.
 */
export function expectsRunnerSpans(test: TestFile): boolean {
  return RUNNER_SPAN_NAME.test(JSON.stringify([test.expect ?? {}, test.orchestration?.temporal ?? {}]));
}

function determinismOf(executions: ScenarioExecution[], spansOf: (runId: string) => Span[]): DeterminismResult {
  const hashes = executions.map((e) => e.traceHash);
  const differing = executions.findIndex((e) => e.traceHash !== hashes[0]);
  if (differing < 0) return { iterations: executions.length, hashes, passed: true, differences: [] };
  const differences = diffTraces(spansOf(executions[0]!.runId), spansOf(executions[differing]!.runId));
  return { iterations: executions.length, hashes, passed: false, differences, differingIteration: differing + 1 };
}

function testVerdict(executions: ScenarioExecution[], determinism: DeterminismResult[], problems: Problem[]): Verdict {
  if (problems.length > 0 || executions.some((e) => e.verdict === 'error')) return 'error';
  if (executions.some((e) => e.verdict === 'failed') || determinism.some((d) => !d.passed)) return 'failed';
  return 'passed';
}

export async function runTest(env: RunnerEnvironment, req: TestRequest): Promise<TestResult> {
  const { test, file } = req;
  const startedMs = Date.now();
  const runnerSpans: Span[] = [];
  const testSpan = req.runSpan.childCollecting('clnrm.test', { 'clnrm.test': test.name, 'clnrm.test_file': file }, runnerSpans);
  env.emit({ type: 'test-start', test: test.name, file });
  const info = { runId: env.tracer.runId, testName: test.name, file };
  const problems: Problem[] = [];
  const executions: ScenarioExecution[] = [];
  const determinism: DeterminismResult[] = [];
  const iterations = test.determinism ? (test.determinism.iterations ?? DEFAULT_DETERMINISM_ITERATIONS) : 1;
  const registries: PluginRegistry[] = req.plugins ? [req.plugins] : [];
  let own: PluginRegistry | undefined;
  try {
    const loaded = await loadTestPlugins(test, file, req.cwd ?? process.cwd(), (plugin, message) => env.emit({ type: 'log', source: `${test.name} [${plugin}]`, message }));
    for (const warning of loaded.warnings) env.emit({ type: 'warning', message: `${file}: ${warning}` });
    own = loaded.registry;
    if (own) registries.push(own);
    for (const registry of registries) await registry.testStart(info);
    if (test.scenarios.length === 0) problems.push({ code: 'toml.shape', message: 'the test has no scenario: add [[scenario]] or [[steps]]', file });
    for (const scenario of test.scenarios) {
      const runs: ScenarioExecution[] = [];
      for (let iteration = 1; iteration <= iterations && !env.signal.aborted; iteration++) {
        const execution = await runScenario(env, {
          test,
          file,
          scenario,
          iteration,
          iterations,
          testSpan,
          runnerSpans: req.includeRunnerSpans || expectsRunnerSpans(test) ? runnerSpans : undefined,
        });
        runs.push(execution);
        if (registries.length > 0) {
          for (const span of env.store.live.spans({ executionId: execution.runId })) for (const registry of registries) registry.span(span, { ...info, scenario: scenario.name, iteration });
        }
        // An execution that could not run (services did not start) says nothing about determinism.
        if (execution.verdict === 'error') break;
      }
      executions.push(...runs);
      if (iterations > 1 && runs.length === iterations) determinism.push(determinismOf(runs, (runId) => env.store.live.spans({ executionId: runId })));
    }
  } catch (error) {
    problems.push(toProblem(error));
  }
  const durationMs = Date.now() - startedMs;
  const passed = testVerdict(executions, determinism, problems) === 'passed';
  for (const registry of registries) await registry.testEnd({ ...info, passed, durationMs }).catch((e: unknown) => problems.push(toProblem(e)));
  await own?.dispose().catch((e: unknown) => problems.push(toProblem(e)));
  // A plugin that failed at the end still makes the test an error.
  const verdict = testVerdict(executions, determinism, problems);
  testSpan.end({ 'clnrm.verdict': verdict, 'clnrm.executions': executions.length }, verdict === 'passed' ? { code: 'ok' } : errorStatus(verdict));
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
  env.emit({ type: 'test-end', result });
  return result;
}
