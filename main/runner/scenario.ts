// One execution of one scenario (one determinism iteration): fresh services on their own network with
// their own run id, the scenario's steps, a graceful stop (so SDKs flush), a quiet period for the last
// spans, then every expectation evaluated over exactly this execution's spans. Fresh containers per
// execution keep iterations and scenarios hermetic: no state or spans leak from one into the next.
import type Docker from 'dockerode';
import { StudioError, toProblem, type Problem } from '../../shared/errors';
import { buildTraceIndex, evaluateWithIndex, normalizedTraceHash, normalizedTraceHashOfIndex, type ExpectationResult, type TraceIndex } from '../../shared/expect';
import { buildSpan, fromPlain, type Span } from '../../shared/model';
import { parseTraceFile } from '../../shared/otlp/trace-file';
import type { ScenarioSpec, TestFile } from '../../shared/spec';
import { newRunIdentity, sampleStats, ServiceSet, type ContainerEvidence, type ContainerStatsSample, type ServiceEvent } from '../docker';
import { serviceFromSpecWithLimits } from './services';
import { cleanupDeferred } from './cleanup-check';
import { finishWithEngine, type EngineChecks } from './engine-checks';
import { inspectIsolation, wantsIsolation, type ContainerIsolation } from './isolation';
import { expectFailureResult, runScenarioCommands, scenarioCommands, stepsForVerdict } from './scenario-commands';
import type { Receiver } from '../receiver';
import type { TraceStore } from '../store';
import { errorStatus, type OpenSpan, type SelfTracer } from './self-trace';
import { storeSpanWaiter, waitForQuiet } from './span-wait';
import type { RunEvent, ScenarioExecution, StepResult, Verdict } from './types';

export interface RunnerEnvironment {
  readonly docker: Docker;
  readonly store: TraceStore;
  readonly receiver: Receiver;
  /** OTLP/HTTP endpoint as containers see it, e.g. `http://host.docker.internal:43181`. */
  readonly otlpEndpoint: string;
  readonly tracer: SelfTracer;
  readonly commit?: string;
  readonly signal: AbortSignal;
  readonly emit: (event: RunEvent) => void;
  /** Graceful stop bound per container. Default 5000. */
  readonly stopTimeoutMs?: number;
  /** Quiet period and bound for the last spans after services stop. */
  readonly quietMs?: number;
  readonly maxSpanWaitMs?: number;
  /** Where published ports are reachable from here (a remote engine's host). Default 127.0.0.1. */
  readonly hostAddress?: string;
  /** Sample container stats while steps run (also on when the test has `[performance]`). */
  readonly sampleStats?: boolean;
}

export interface ScenarioRequest {
  readonly test: TestFile;
  readonly file: string;
  readonly scenario: ScenarioSpec;
  readonly iteration: number;
  readonly iterations: number;
  readonly testSpan: OpenSpan;
  /** The runner's own spans of this test: evaluated too when set (clnrm self-test). */
  readonly runnerSpans?: Span[];
}

const DEFAULT_SCENARIO_TIMEOUT_MS = 120_000;

/** `OTEL_RESOURCE_ATTRIBUTES` value: the file's own attributes plus our run tags (ours win). */
export function resourceAttributes(existing: string | undefined, runId: string, scenario: string): string {
  const ours = `clnrm.run_id=${encodeURIComponent(runId)},clnrm.scenario=${encodeURIComponent(scenario)}`;
  const kept = (existing ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '' && !/^clnrm\.(run_id|scenario)\s*=/.test(p));
  return [...kept, ours].join(',');
}

/** Containers one execution creates: its services and one per step that names no service. */
function containerCount(test: TestFile, scenario: ScenarioSpec): number {
  const { parallel, ordered } = scenarioCommands(scenario);
  const fresh = [...parallel, ...ordered].filter((s) => (s.service ?? scenario.service) === undefined).length;
  return Object.keys(test.services).length + scenario.services.length + fresh;
}

/** Spans a command printed as NDJSON (`artifacts.collect = ["spans:…"]`), tagged with the execution. */
function spansFromOutput(stdout: string, runId: string, scenario: string): Span[] {
  if (!stdout.includes('{')) return [];
  let spans: Span[];
  try {
    spans = parseTraceFile(stdout, 'stdout.ndjson').spans;
  } catch {
    return [];
  }
  const tags = [
    { key: 'clnrm.run_id', value: fromPlain(runId) },
    { key: 'clnrm.scenario', value: fromPlain(scenario) },
  ];
  return spans.map((s) => buildSpan({ ...s, resource: { ...s.resource, attributes: [...s.resource.attributes.filter((a) => !a.key.startsWith('clnrm.')), ...tags] } }));
}

/**
 * Samples every service's CPU/memory/network back to back while the steps run (the engine measures
 * each sample over ~1 s). Stopping does not wait for a sample in flight: it is dropped.
 */
function sampleWhileRunning(docker: Docker, set: ServiceSet, into: ContainerStatsSample[]): { stop(): void } {
  let running = true;
  void (async () => {
    while (running) {
      const batch = await Promise.all(set.services().map((s) => sampleStats(docker, s.id, s.containerId)));
      if (!running) return;
      for (const sample of batch) if (sample) into.push(sample);
      if (batch.length === 0) return;
    }
  })();
  return { stop: () => (running = false) };
}

function verdictOf(problems: Problem[], steps: StepResult[], expectations: ExpectationResult[]): Verdict {
  if (problems.length > 0 || steps.some((s) => s.verdict === 'error')) return 'error';
  if (steps.some((s) => s.verdict === 'failed') || expectations.some((e) => !e.passed)) return 'failed';
  return 'passed';
}

export async function runScenario(env: RunnerEnvironment, req: ScenarioRequest): Promise<ScenarioExecution> {
  const { test, scenario } = req;
  const identity = newRunIdentity();
  const runId = identity.runId;
  const startedMs = Date.now();
  const startedAt = new Date(startedMs).toISOString();
  const problems: Problem[] = [];
  const steps: StepResult[] = [];
  let containers: ContainerEvidence[] = [];
  let expectations: ExpectationResult[] = [];
  const scenarioSpan = req.testSpan.child('clnrm.scenario', { 'clnrm.scenario': scenario.name, 'clnrm.iteration': req.iteration, 'clnrm.scenario_run_id': runId });
  env.emit({ type: 'scenario-start', test: test.name, scenario: scenario.name, iteration: req.iteration, iterations: req.iterations, runId });
  await env.store
    .recordRun({ id: runId, testFile: req.file, testName: test.name, scenario: scenario.name, iteration: req.iteration, commit: env.commit, startedAt })
    .catch((e: unknown) => env.emit({ type: 'warning', message: `could not record run ${runId}: ${toProblem(e).message}` }));

  const otelEnv = (fileEnv: Record<string, string>): Record<string, string> => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: env.otlpEndpoint,
    OTEL_RESOURCE_ATTRIBUTES: resourceAttributes(fileEnv.OTEL_RESOURCE_ATTRIBUTES, runId, scenario.name),
  });
  const containerSpans = new Map<string, OpenSpan>();
  let serviceStart: OpenSpan | undefined;
  let set: ServiceSet | undefined;
  let disposal: Promise<void> | undefined;
  const stats: ContainerStatsSample[] = [];
  let sampler: { stop(): void } | undefined;
  const onEvent = (e: ServiceEvent): void => {
    if (!e.service) return;
    const key = `${e.type === 'stopping' || e.type === 'stopped' ? 'stop' : 'start'}:${e.service}`;
    if (e.type === 'creating') {
      containerSpans.set(key, (serviceStart ?? scenarioSpan).child('clnrm.container.start', { 'clnrm.service': e.service, 'container.image.name': test.services[e.service]?.image }, e.at));
    } else if (e.type === 'ready') {
      containerSpans.get(key)?.end({}, undefined, e.at);
    } else if (e.type === 'stopping') {
      containerSpans.set(key, scenarioSpan.child('clnrm.container.stop', { 'clnrm.service': e.service }, e.at));
    } else if (e.type === 'stopped') {
      containerSpans.get(key)?.end({ 'clnrm.container.outcome': e.detail }, undefined, e.at);
    }
  };
  const deferred = cleanupDeferred(test, scenario);
  let deferredSet: ServiceSet | undefined;
  let inspected: ContainerIsolation[] = [];
  const cancel = (): void => void set?.dispose();
  env.signal.addEventListener('abort', cancel, { once: true });
  try {
    if (env.signal.aborted) throw new Error('the run was cancelled before this scenario started');
    const needed = containerCount(test, scenario);
    if (test.limits?.max_containers !== undefined && needed > test.limits.max_containers) {
      throw new StudioError({ code: 'runner.limit', message: `scenario "${scenario.name}" needs ${needed} containers (services and one-off steps), more than [limits] max_containers = ${test.limits.max_containers}`, path: 'limits.max_containers' });
    }
    const services = [...Object.values(test.services), ...scenario.services].map((s) =>
      serviceFromSpecWithLimits(s, { baseEnv: { OTEL_SERVICE_NAME: s.id }, overrideEnv: otelEnv(s.env) }, test.limits),
    );
    for (const s of services) if (s.note) env.emit({ type: 'log', source: test.name, message: s.note });
    const defs = services.map((s) => s.definition);
    const extraEdges = (test.orchestration?.dependency_graph?.edges ?? []).map(([from, to]) => ({ dependency: from, dependent: to }));
    set = new ServiceSet(env.docker, { services: defs, run: identity, extraEdges, spanWaiter: storeSpanWaiter(env.store), onEvent, stopTimeoutMs: env.stopTimeoutMs ?? 5000, hostAddress: env.hostAddress });
    serviceStart = scenarioSpan.child('clnrm.service.start', { 'clnrm.services': defs.map((d) => d.id).join(','), 'clnrm.levels': set.plan.levels.length });
    const startBegan = performance.now();
    try {
      await set.start();
      serviceStart.end();
    } catch (error) {
      const message = toProblem(error).message;
      for (const [key, span] of containerSpans) if (key.startsWith('start:')) span.end({}, errorStatus(message));
      serviceStart.end({}, errorStatus(message));
      throw error;
    }
    env.emit({ type: 'services-ready', test: test.name, services: defs.map((d) => d.id), durationMs: performance.now() - startBegan });

    const policyMs = scenario.policy?.max_execution_time ? scenario.policy.max_execution_time * 1000 : undefined;
    if (env.sampleStats || test.performance) sampler = sampleWhileRunning(env.docker, set, stats);
    const limitDeadline = test.limits?.max_duration_seconds !== undefined ? startedMs + test.limits.max_duration_seconds * 1000 : Infinity;
    const deadline = Math.min(limitDeadline, Date.now() + (scenario.timeoutMs ?? policyMs ?? test.meta.timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS));
    const ctx = { set, scenarioService: scenario.service, env: otelEnv({}), remainingMs: () => deadline - Date.now(), parentSpan: scenarioSpan };
    const outputs: string[] = [];
    const record = (r: { result: StepResult; stdout: string }) => {
      steps.push(r.result);
      outputs.push(r.stdout);
      env.emit({ type: 'step-end', test: test.name, step: r.result });
    };
    const results = await runScenarioCommands(scenario, ctx, record, () => env.signal.aborted);
    // `record` saw the steps that ran; the skipped ones come after them.
    steps.push(...results.slice(steps.length));
    sampler?.stop();
    if (env.signal.aborted) throw new Error('cancelled');
    if (scenario.artifacts.some((a) => a === 'spans' || a.startsWith('spans:'))) {
      const collected = outputs.flatMap((o) => spansFromOutput(o, runId, scenario.name));
      if (collected.length > 0) env.store.ingest(collected);
    }
    // Stop first: SDKs flush their last spans on SIGTERM; then wait until nothing more arrives.
    const started = set.services().map((s) => ({ id: s.id, containerId: s.containerId }));
    containers = await set.stop();
    if (wantsIsolation(test)) inspected = await inspectIsolation(env.docker, started);
    // Removing the stopped containers overlaps the wait for the last spans (their senders are gone),
    // unless a cleanup policy must see the verdict first.
    if (deferred) deferredSet = set;
    else disposal = set.dispose();
    await waitForQuiet(env.store, env.receiver, runId, { quietMs: env.quietMs, maxWaitMs: env.maxSpanWaitMs, signal: env.signal });
  } catch (error) {
    problems.push(env.signal.aborted ? { code: 'runner.cancelled', message: 'the run was cancelled (SIGINT/SIGTERM); its containers were removed' } : toProblem(error));
    if (set && containers.length === 0) containers = await set.evidence().catch(() => []);
  } finally {
    sampler?.stop();
    env.signal.removeEventListener('abort', cancel);
    // A deferred set is removed (or kept) by the cleanup policy once the verdict is known.
    if (!deferredSet) await (disposal ?? set?.dispose())?.catch((e: unknown) => problems.push(toProblem(e)));
  }

  const sutSpans = env.store.live.spans({ runId });
  // Ended before evaluating, so expectations over the runner's own spans (self-test) can see it.
  scenarioSpan.end({ 'clnrm.span_count': sutSpans.length, 'clnrm.problems': problems.length }, problems.length > 0 ? errorStatus(problems[0]!.message) : { code: 'unset' });
  const evaluation = req.testSpan.child('clnrm.evaluate', { 'clnrm.scenario': scenario.name, 'clnrm.iteration': req.iteration, 'clnrm.scenario_run_id': runId });
  // Without the runner's own spans the evaluated spans are the hashed ones: one index serves both.
  let sutIndex: TraceIndex | undefined;
  if (problems.length === 0) {
    const spans = req.runnerSpans ? [...sutSpans, ...req.runnerSpans] : sutSpans;
    const index = buildTraceIndex(spans);
    if (!req.runnerSpans) sutIndex = index;
    const knownHosts = [...Object.keys(test.services), ...scenario.services.map((s) => s.id)].flatMap((id) => [id, id.replace(/[_.]/g, '-')]).concat('host.docker.internal');
    const position = test.scenarios.filter((s) => !s.implicit).indexOf(scenario);
    expectations = evaluateWithIndex(index, {
      expect: test.expect,
      temporal: test.orchestration?.temporal,
      distributed: test.orchestration?.distributed_tracing,
      knownHosts,
      scenarioCrossService: scenario.crossService.length > 0 ? { path: `scenario[${position}].expect.cross_service`, rules: scenario.crossService } : undefined,
    });
    const failure = expectFailureResult(scenario, steps);
    if (failure) expectations.push(failure);
  }
  let engine: EngineChecks | undefined;
  if (set && !env.signal.aborted) {
    engine = await finishWithEngine({ docker: env.docker, test, scenario, deferredSet, runId, network: set.networkName, passed: verdictOf(problems, stepsForVerdict(scenario, steps), expectations) === 'passed', run: env, inspected }).catch((e: unknown) => {
      problems.push(toProblem(e));
      return undefined;
    });
    if (engine?.note) env.emit({ type: 'log', source: test.name, message: engine.note });
    expectations.push(...(engine?.results ?? []));
  } else if (deferredSet) await deferredSet.dispose().catch((e: unknown) => problems.push(toProblem(e)));
  const names = new Map<string, string>();
  for (const s of req.runnerSpans ? [...sutSpans, ...req.runnerSpans] : sutSpans) names.set(s.spanId, s.name);
  const spanNames: Record<string, string> = {};
  for (const r of expectations) for (const id of r.spans) if (names.has(id)) spanNames[id] = names.get(id)!;
  const verdict = verdictOf(problems, stepsForVerdict(scenario, steps), expectations);
  const execution: ScenarioExecution = {
    runId,
    scenario: scenario.name,
    iteration: req.iteration,
    verdict,
    startedAt,
    durationMs: Date.now() - startedMs,
    steps,
    expectations,
    problems,
    containers,
    spanCount: sutSpans.length,
    traceHash: sutIndex ? normalizedTraceHashOfIndex(sutIndex) : normalizedTraceHash(sutSpans),
    spanNames,
    ...(stats.length > 0 ? { stats: [...stats] } : {}),
    ...(engine?.cleanup ? { cleanup: engine.cleanup } : {}),
    ...(engine?.isolation ? { isolation: engine.isolation } : {}),
  };
  evaluation.end(
    { 'clnrm.verdict': verdict, 'clnrm.expectations': expectations.length, 'clnrm.expectations_failed': expectations.filter((e) => !e.passed).length },
    verdict === 'passed' ? { code: 'ok' } : errorStatus(verdict),
  );
  await env.store
    .updateRun(runId, {
      endedAt: new Date().toISOString(),
      verdict: { verdict, failedExpectations: expectations.filter((e) => !e.passed).length, failedSteps: steps.filter((s) => s.verdict !== 'passed').length },
      evidence: { steps, containers, expectations, problems, traceHash: execution.traceHash, spanCount: execution.spanCount, stats: execution.stats },
    })
    .catch((e: unknown) => env.emit({ type: 'warning', message: `could not update run ${runId}: ${toProblem(e).message}` }));
  env.emit({ type: 'scenario-end', test: test.name, execution });
  return execution;
}
