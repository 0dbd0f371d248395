// One execution of one scenario (one determinism iteration), in phases: fresh services on their own
// network (`services`), the steps (`steps`), the last spans (`collect`: NDJSON from step output, then a
// graceful stop so SDKs flush and a quiet period), removal of everything it created (`cleanup`), and every
// expectation over exactly this execution's spans (`evaluate`). Fresh containers per execution keep
// iterations and scenarios hermetic. Each phase is an event, each lifecycle point a plugin hook, and the
// runner's own clnrm-shaped spans are kept by ExecutionTrace.
import type Docker from 'dockerode';
import { StudioError, toProblem, type Problem } from '../../shared/errors';
import type { ExpectationResult } from '../../shared/expect';
import { buildSpan, fromPlain, type Span } from '../../shared/model';
import { parseTraceFile } from '../../shared/otlp/trace-file';
import type { ExecutionInfo } from '../../shared/plugins';
import type { ExecutionPhase } from '../../shared/run';
import type { ScenarioSpec, TestFile } from '../../shared/spec';
import { newId, type ContainerEvidence, type ContainerStatsSample, type ServiceEvent } from '../docker';
import type { RunHealing } from '../healing/run-healing';
import { judgePerformance, stepsWindow, wantsPerformanceChecks } from '../perf/run-checks';
import type { Receiver } from '../receiver';
import type { TraceStore } from '../store';
import { cleanupDeferred } from './cleanup-check';
import { finishWithEngine, type EngineChecks } from './engine-checks';
import { judge } from './evaluation';
import { executionOutcome, recordQuietly, statsRows, testFileHash as hashTestFile } from './history';
import type { InterposeRequest } from './interpose';
import { inspectIsolation, wantsIsolation, type ContainerIsolation } from './isolation';
import { expectFailureResult, stepsForVerdict } from './scenario-commands';
import { ExecutionTrace } from './execution-trace';
import type { RunHooks } from './hooks';
import type { Emit } from './run-events';
import { runSteps } from './scenario-steps';
import type { PlannedPatternTest } from '../../shared/chaos/patterns-plan';
import { chaosResults, endWithSteps, expectChaosResults, patternResults, recordedFaultWindows, startChaos, startsAfterSteps, type ChaosInExecution } from './scenario-chaos';
import { createServices, startServices } from './scenario-services';
import type { OpenSpan, SelfTracer } from './self-trace';
import type { ServiceSetFactory, ServiceSetPort } from './service-port';
import { feedSpans } from './span-feed';
import { belongsToExecution, executionSpans, waitForQuiet } from './span-wait';
import type { ScenarioExecution, StepResult, Verdict } from './types';

export interface RunnerEnvironment {
  readonly docker: Docker;
  readonly store: TraceStore;
  readonly receiver: Receiver;
  /** OTLP/HTTP endpoint as containers see it, e.g. `http://host.docker.internal:43181`. */
  readonly otlpEndpoint: string;
  readonly tracer: SelfTracer;
  /** `clnrm.run`: the parent of every span the runner emits for an execution. */
  readonly runSpan: OpenSpan;
  readonly runId: string;
  readonly commit?: string;
  readonly signal: AbortSignal;
  readonly emit: Emit;
  readonly hooks: RunHooks;
  /** How an execution gets its services (the Docker engine; tests put their own below this seam). */
  readonly services: ServiceSetFactory;
  /** Graceful stop bound per container. Default 5000. */
  readonly stopTimeoutMs?: number;
  /** Quiet period and bound for the last spans after services stop. */
  readonly quietMs?: number;
  readonly maxSpanWaitMs?: number;
  /** Where published ports are reachable from here (a remote engine's host). Default 127.0.0.1. */
  readonly hostAddress?: string;
  /** Sample container stats while steps run (also on when the test has `[performance]`). */
  readonly sampleStats?: boolean;
  /** Services of an execution to put behind a proxy (the chaos layer's seam; see interpose.ts). */
  readonly interpose?: (test: TestFile, execution: ExecutionInfo) => readonly InterposeRequest[];
  /** List what the engine still holds after every execution's cleanup, even when the file asks for no leakage check (a suite's container_cleanup_verified). */
  readonly verifyCleanup?: boolean;
  /** The engine's address, when the run has a pool of several (recorded per execution; engine-pool.ts). */
  readonly engine?: string;
  /** After a phase threw: is the engine still there? A lost engine's problem names it (pool-run.ts). */
  readonly checkEngine?: () => Promise<Problem | undefined>;
  /** Self-healing: classifies failed executions and retries what its settings allow (main/healing). */
  readonly healing?: RunHealing;
}

export interface ScenarioRequest {
  readonly test: TestFile;
  readonly file: string;
  readonly scenario: ScenarioSpec;
  readonly iteration: number;
  readonly iterations: number;
  readonly testSpan: OpenSpan;
  /** Judge the runner's own spans too, named or not (clnrm self-test). */
  readonly includeRunnerSpans?: boolean;
  /** The `[chaos.patterns]` test this execution runs: its fault during the steps, its checks after. */
  readonly pattern?: PlannedPatternTest;
}

/** `OTEL_RESOURCE_ATTRIBUTES` value: the file's own attributes plus our tags (ours win). */
export function resourceAttributes(existing: string | undefined, tags: Readonly<Record<string, string>>): string {
  const ours = Object.entries(tags).map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  const kept = (existing ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '' && !Object.keys(tags).some((k) => p.startsWith(`${k}=`) || p.startsWith(`${k} =`)));
  return [...kept, ...ours].join(',');
}

/** Spans a command printed as NDJSON (`artifacts.collect = ["spans:…"]`), tagged with the execution. */
function spansFromOutput(stdout: string, tags: Readonly<Record<string, string>>): Span[] {
  if (!stdout.includes('{')) return [];
  let spans: Span[];
  try {
    spans = parseTraceFile(stdout, 'stdout.ndjson').spans;
  } catch {
    return [];
  }
  const tagged = Object.entries(tags).map(([key, value]) => ({ key, value: fromPlain(value) }));
  return spans.map((s) => buildSpan({ ...s, resource: { ...s.resource, attributes: [...s.resource.attributes.filter((a) => !(a.key in tags)), ...tagged] } }));
}

function verdictOf(problems: Problem[], steps: StepResult[], expectations: ExpectationResult[]): Verdict {
  if (problems.length > 0 || steps.some((s) => s.verdict === 'error')) return 'error';
  if (steps.some((s) => s.verdict === 'failed') || expectations.some((e) => !e.passed)) return 'failed';
  return 'passed';
}

/** The mutable state of one execution while its phases run. */
interface Execution {
  readonly info: ExecutionInfo;
  readonly startedMs: number;
  readonly tags: Readonly<Record<string, string>>;
  readonly trace: ExecutionTrace;
  readonly problems: Problem[];
  readonly steps: StepResult[];
  readonly stats: ContainerStatsSample[];
  set?: ServiceSetPort;
  containers: ContainerEvidence[];
  /** The set, when a cleanup policy needs the verdict before removing it (engine-checks.ts). */
  deferredSet?: ServiceSetPort;
  /** Networks and mounts of the service containers, for `[expect.isolation]`. */
  inspected: ContainerIsolation[];
  /** The test's chaos experiment, running beside the steps (scenario-chaos.ts). */
  chaos?: ChaosInExecution;
  /** When the runner began stopping the services (a container that ended before had ended on its own). */
  stoppingAtMs?: number;
}

export async function runScenario(env: RunnerEnvironment, req: ScenarioRequest): Promise<ScenarioExecution> {
  const { test, scenario } = req;
  const executionId = newId();
  const startedMs = Date.now();
  const info: ExecutionInfo = { runId: env.runId, testName: test.name, file: req.file, executionId, scenario: scenario.name, iteration: req.iteration };
  // Every span of the run carries the run's id; the execution's own tells executions apart.
  const tags = { 'clnrm.run_id': env.runId, 'clnrm.execution_id': executionId, 'clnrm.scenario': scenario.name };
  const services = new Map(Object.values(test.services).map((s) => [s.id, { type: s.plugin, image: s.image ?? '' }]));
  const trace = new ExecutionTrace({
    runSpan: env.runSpan,
    testSpan: req.testSpan,
    tracer: env.tracer,
    executionId,
    test: test.name,
    scenario: scenario.name,
    iteration: req.iteration,
    services,
    // Called on service events only, once `ex` exists.
    containerOf: (id) => ex.set?.services().find((s) => s.id === id)?.containerId,
  });
  const ex: Execution = { info, startedMs, tags, trace, problems: [], steps: [], stats: [], containers: [], inspected: [] };
  env.emit({ type: 'execution-started', test: test.name, executionId, scenario: scenario.name, iteration: req.iteration, iterations: req.iterations });
  await env.hooks.call('onExecutionStart', info);
  const warn = (message: string): void => env.emit({ type: 'warning', message });
  const testFileHash = await hashTestFile(req.file);
  const record = { id: executionId, runId: env.runId, testFile: req.file, testFileHash, testName: test.name, scenario: scenario.name, iteration: req.iteration, startedAt: startedMs, failedExpectations: 0, failedSteps: 0 };
  await recordQuietly(`execution ${executionId}`, () => env.store.recordExecution(record), warn);
  const feed = feedSpans(env.store, env.hooks, info, belongsToExecution(executionId));
  const onServiceEvent = (e: ServiceEvent): void => {
    ex.trace.onServiceEvent(e);
    if (e.service && e.type !== 'network-created' && e.type !== 'removed') env.emit({ type: 'service', test: test.name, executionId, service: e.service, state: e.type, ...(e.detail ? { detail: e.detail } : {}) });
  };
  const phase = phaser(env, test.name, executionId);
  await runPhases(env, req, ex, onServiceEvent, phase);
  // The end judges every phase now: no verdict decided while running comes after it.
  ex.chaos?.phases.close();
  const system = executionSpans(env.store, executionId);
  const failedSoFar = ex.problems.length > 0 || ex.steps.some((s) => s.verdict !== 'passed');
  phase('evaluate', 'start');
  const judgement = ex.problems.length === 0 ? judge(test, system, () => ex.trace.judged(failedSoFar), req.includeRunnerSpans ?? false, scenario) : undefined;
  const expectations = judgement?.expectations ?? [];
  const failure = judgement ? expectFailureResult(scenario, ex.steps) : undefined;
  if (failure) expectations.push(failure);
  if (judgement && ex.chaos) expectations.push(...chaosResults(ex.chaos, system, judgement.spanNames));
  if (judgement && req.pattern) expectations.push(...patternResults(req.pattern, system, judgement.spanNames));
  const engine = await engineChecks(env, req, ex, expectations);
  expectations.push(...(engine?.results ?? []));
  if (judgement && test.expect?.chaos) expectations.push(...(await expectChaosResults(env.docker, test.expect.chaos, { ...ex, executionId, system })));
  const perf = judgement && wantsPerformanceChecks(test) ? await judgePerformance(env.store, test, scenario.name, system, ex.stats, stepsWindow(ex.trace.spans)) : undefined;
  expectations.push(...(perf?.results ?? []));
  phase('evaluate', 'end');
  const faultWindows = recordedFaultWindows(ex.chaos, test);
  feed.close([...system, ...ex.trace.spans]);
  for (const e of expectations) env.emit({ type: 'verdict', test: test.name, executionId, expectation: e.expectation, kind: e.kind, passed: e.passed, message: e.message });
  await env.hooks.call('onExpectationsEvaluated', info, expectations);
  const verdict = verdictOf(ex.problems, stepsForVerdict(scenario, ex.steps), expectations);
  const execution: ScenarioExecution = {
    runId: executionId,
    scenario: scenario.name,
    iteration: req.iteration,
    verdict,
    startedAt: new Date(startedMs).toISOString(),
    durationMs: Date.now() - startedMs,
    steps: ex.steps,
    expectations,
    problems: ex.problems,
    containers: ex.containers,
    spanCount: system.length,
    traceHash: judgement?.traceHash ?? '',
    spanNames: judgement?.spanNames ?? {},
    ...(ex.stats.length > 0 ? { stats: [...ex.stats] } : {}),
    ...(engine?.cleanup ? { cleanup: engine.cleanup } : {}),
    ...(engine?.isolation ? { isolation: engine.isolation } : {}),
    ...(perf && perf.regressions.length > 0 ? { regressions: perf.regressions } : {}),
    ...(env.engine !== undefined ? { engine: env.engine } : {}),
    ...(faultWindows.length > 0 ? { faultWindows } : {}),
  };
  await finish(env, test.name, execution, info);
  return execution;
}

/** Cleanup by policy (when deferred), then the leakage and isolation checks against the engine. */
async function engineChecks(env: RunnerEnvironment, req: ScenarioRequest, ex: Execution, expectations: ExpectationResult[]): Promise<EngineChecks | undefined> {
  if (!ex.set || env.signal.aborted) {
    await ex.deferredSet?.dispose().catch((e: unknown) => ex.problems.push(toProblem(e)));
    return undefined;
  }
  const passed = verdictOf(ex.problems, stepsForVerdict(req.scenario, ex.steps), expectations) === 'passed';
  const engine = await finishWithEngine({ docker: env.docker, test: req.test, scenario: req.scenario, deferredSet: ex.deferredSet, executionId: ex.info.executionId, network: ex.set.networkName, passed, run: env.runSpan, inspected: ex.inspected, verifyCleanup: env.verifyCleanup === true }).catch(
    (e: unknown) => {
      ex.problems.push(toProblem(e));
      return undefined;
    },
  );
  if (engine?.note) env.emit({ type: 'log', source: req.test.name, message: engine.note });
  return engine;
}

/** Why the signal fired: the Problem it was aborted with (a suite's timeout), else a cancellation. */
export function abortProblem(signal: AbortSignal, cancelled: string): Problem {
  const reason: unknown = signal.reason;
  return reason instanceof StudioError ? reason.problem : { code: 'runner.cancelled', message: cancelled };
}

type Phaser = (phase: ExecutionPhase, state: 'start' | 'end') => void;

function phaser(env: RunnerEnvironment, test: string, executionId: string): Phaser {
  const began = new Map<ExecutionPhase, number>();
  return (phase, state) => {
    if (state === 'start') began.set(phase, performance.now());
    const durationMs = state === 'end' && began.has(phase) ? performance.now() - began.get(phase)! : undefined;
    env.emit({ type: 'phase', test, executionId, phase, state, ...(durationMs !== undefined ? { durationMs } : {}) });
  };
}

/** services → steps → collect → cleanup; a failure in any phase is a problem of the execution, never thrown. */
async function runPhases(env: RunnerEnvironment, req: ScenarioRequest, ex: Execution, onServiceEvent: (e: ServiceEvent) => void, phase: Phaser): Promise<void> {
  const { test, scenario } = req;
  let disposal: Promise<void> | undefined;
  const cancel = (): void => {
    void ex.chaos?.run.stop();
    void ex.set?.dispose();
  };
  env.signal.addEventListener('abort', cancel, { once: true });
  try {
    if (env.signal.aborted) throw new Error('the run was cancelled before this scenario started');
    phase('services', 'start');
    const services = { test, scenario, info: ex.info, tags: ex.tags, onEvent: onServiceEvent, trace: ex.trace };
    const planned = createServices(env, services);
    ex.set = planned.set;
    await startServices(env, services, planned);
    phase('services', 'end');
    const chaosAfterSteps = startsAfterSteps(test);
    if (!chaosAfterSteps) ex.chaos = startChaos(env, test, scenario, ex.set, ex.tags, req.pattern);
    // A pattern test's checks assume every request of the steps met its fault: the steps wait until it is in.
    if (req.pattern) await ex.chaos?.run.faultsAtStart();
    phase('steps', 'start');
    const outputs = await runSteps(env, { test, scenario, info: ex.info, set: ex.set, tags: ex.tags, trace: ex.trace, into: ex.steps, stats: ex.stats, startedMs: ex.startedMs });
    if (chaosAfterSteps && !env.signal.aborted) ex.chaos = startChaos(env, test, scenario, ex.set, ex.tags, req.pattern);
    // An experiment runs its planned length whatever the steps take (a chaos_injection without duration_ms
    // ends with them); its faults are undone before the stop.
    await endWithSteps(ex.chaos);
    phase('steps', 'end');
    if (env.signal.aborted) throw new Error('cancelled');
    phase('collect', 'start');
    if (scenario.artifacts.some((a) => a === 'spans' || a.startsWith('spans:'))) {
      const collected = outputs.flatMap((o) => spansFromOutput(o, ex.tags));
      if (collected.length > 0) env.store.ingest(collected);
    }
    // Stop first: SDKs flush their last spans on SIGTERM; then wait until nothing more arrives.
    ex.trace.beginCleanup();
    const started = ex.set.services().map((s) => ({ id: s.id, containerId: s.containerId }));
    ex.stoppingAtMs = Date.now();
    ex.containers = await ex.set.stop();
    if (wantsIsolation(test)) ex.inspected = await inspectIsolation(env.docker, started);
    // Removing the stopped containers overlaps the wait for the last spans (their senders are gone),
    // unless a cleanup policy must see the verdict first.
    if (cleanupDeferred(test, scenario)) ex.deferredSet = ex.set;
    else disposal = ex.set.dispose();
    await waitForQuiet(env.store, env.receiver, ex.info.executionId, { quietMs: env.quietMs, maxWaitMs: env.maxSpanWaitMs, signal: env.signal });
    phase('collect', 'end');
  } catch (error) {
    // An engine that went away explains the error it caused, so it comes first.
    const lost = env.signal.aborted ? undefined : await env.checkEngine?.();
    if (lost) ex.problems.push(lost);
    ex.problems.push(env.signal.aborted ? abortProblem(env.signal, 'the run was cancelled (SIGINT/SIGTERM); its containers were removed') : toProblem(error));
    if (ex.set && ex.containers.length === 0) ex.containers = await ex.set.evidence().catch(() => []);
  } finally {
    env.signal.removeEventListener('abort', cancel);
    await ex.chaos?.run.stop();
    phase('cleanup', 'start');
    ex.trace.beginCleanup();
    const cleanupProblems: string[] = [];
    // A deferred set is removed (or kept) by its cleanup policy once the verdict is known.
    await (disposal ?? (ex.deferredSet ? undefined : ex.set?.dispose()))?.catch((e: unknown) => {
      const p = toProblem(e);
      cleanupProblems.push(p.message);
      ex.problems.push(p);
    });
    const failure = ex.problems[0]?.message ?? ex.steps.find((s) => s.verdict === 'failed' || s.verdict === 'error')?.message;
    ex.trace.endCleanup(cleanupProblems.length === 0, failure, cleanupProblems);
    phase('cleanup', 'end');
  }
}

/** Records the execution's end: history, events, the failure hook for what did not pass. */
async function finish(env: RunnerEnvironment, test: string, execution: ScenarioExecution, info: ExecutionInfo): Promise<void> {
  const evidence = { steps: execution.steps, containers: execution.containers, expectations: execution.expectations, problems: execution.problems, traceHash: execution.traceHash, spanCount: execution.spanCount };
  const warn = (message: string): void => env.emit({ type: 'warning', message });
  await recordQuietly(`execution ${execution.runId}`, () => env.store.finishExecution(execution.runId, executionOutcome(execution)), warn);
  const stats = execution.stats ?? [];
  if (stats.length > 0) await recordQuietly(`container stats of ${execution.runId}`, () => env.store.addContainerStats(statsRows(execution.runId, stats)), warn);
  env.emit({
    type: 'execution-finished',
    test,
    executionId: execution.runId,
    scenario: execution.scenario,
    iteration: execution.iteration,
    verdict: execution.verdict,
    spanCount: execution.spanCount,
    expectations: execution.expectations.length,
    failedExpectations: execution.expectations.filter((e) => !e.passed).length,
    durationMs: execution.durationMs,
    problems: execution.problems.map((p) => p.message),
  });
  if (execution.verdict !== 'passed') await env.hooks.call('onExecutionFailed', info, execution.verdict, evidence);
  await env.hooks.call('onExecutionEnd', info, execution.verdict);
}
