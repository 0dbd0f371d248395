// One execution of one scenario (one determinism iteration): fresh services on their own network with
// their own run id, the scenario's steps, a graceful stop (so SDKs flush), a quiet period for the last
// spans, then every expectation evaluated over exactly this execution's spans. Fresh containers per
// execution keep iterations and scenarios hermetic: no state or spans leak from one into the next.
import type Docker from 'dockerode';
import { toProblem, type Problem } from '../../shared/errors';
import { buildTraceIndex, evaluateWithIndex, normalizedTraceHash, normalizedTraceHashOfIndex, type ExpectationResult, type TraceIndex } from '../../shared/expect';
import { buildSpan, fromPlain, type Span } from '../../shared/model';
import { parseTraceFile } from '../../shared/otlp/trace-file';
import type { ScenarioSpec, StepSpec, TestFile } from '../../shared/spec';
import { newRunIdentity, sampleStats, ServiceSet, type ContainerEvidence, type ContainerStatsSample, type ServiceEvent } from '../docker';
import { serviceFromSpecWithLimits } from './services';
import type { Receiver } from '../receiver';
import type { TraceStore } from '../store';
import { errorStatus, type OpenSpan, type SelfTracer } from './self-trace';
import { executionOutcome, recordQuietly, statsRows, testFileHash as hashTestFile } from './history';
import { storeSpanWaiter, waitForQuiet } from './span-wait';
import { runStep } from './steps';
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

/**
 * `OTEL_RESOURCE_ATTRIBUTES` value: the file's own attributes plus our tags (ours win): the run
 * (`clnrm.run_id`, shared by every span of one `clnrm run`) and the execution (`clnrm.execution_id`).
 */
export function resourceAttributes(existing: string | undefined, tags: { runId: string; executionId: string; scenario: string }): string {
  const ours = [`clnrm.run_id=${encodeURIComponent(tags.runId)}`, `clnrm.execution_id=${encodeURIComponent(tags.executionId)}`, `clnrm.scenario=${encodeURIComponent(tags.scenario)}`].join(',');
  const kept = (existing ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '' && !/^clnrm\.(run_id|execution_id|scenario)\s*=/.test(p));
  return [...kept, ours].join(',');
}

function scenarioSteps(scenario: ScenarioSpec): StepSpec[] {
  const steps: StepSpec[] = [];
  if (scenario.runArgv) {
    steps.push({ name: scenario.name, command: scenario.runArgv, expectedExitCode: 0, env: {}, continueOnFailure: false, service: scenario.service });
  }
  return [...steps, ...scenario.steps];
}

/** Spans a command printed as NDJSON (`artifacts.collect = ["spans:…"]`), tagged with the execution. */
function spansFromOutput(stdout: string, tags: { runId: string; executionId: string; scenario: string }): Span[] {
  if (!stdout.includes('{')) return [];
  let spans: Span[];
  try {
    spans = parseTraceFile(stdout, 'stdout.ndjson').spans;
  } catch {
    return [];
  }
  const attributes = [
    { key: 'clnrm.run_id', value: fromPlain(tags.runId) },
    { key: 'clnrm.execution_id', value: fromPlain(tags.executionId) },
    { key: 'clnrm.scenario', value: fromPlain(tags.scenario) },
  ];
  return spans.map((s) => buildSpan({ ...s, resource: { ...s.resource, attributes: [...s.resource.attributes.filter((a) => !a.key.startsWith('clnrm.')), ...attributes] } }));
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
  const warn = (message: string): void => env.emit({ type: 'warning', message });
  const testFileHash = await hashTestFile(req.file);
  await recordQuietly(
    `execution ${runId}`,
    () =>
      env.store.recordExecution({
        id: runId,
        runId: env.tracer.runId,
        testFile: req.file,
        testFileHash,
        testName: test.name,
        scenario: scenario.name,
        iteration: req.iteration,
        startedAt: startedMs,
        failedExpectations: 0,
        failedSteps: 0,
      }),
    warn,
  );

  const tags = { runId: env.tracer.runId, executionId: runId, scenario: scenario.name };
  const otelEnv = (fileEnv: Record<string, string>): Record<string, string> => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: env.otlpEndpoint,
    OTEL_RESOURCE_ATTRIBUTES: resourceAttributes(fileEnv.OTEL_RESOURCE_ATTRIBUTES, tags),
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
  const cancel = (): void => void set?.dispose();
  env.signal.addEventListener('abort', cancel, { once: true });
  try {
    if (env.signal.aborted) throw new Error('the run was cancelled before this scenario started');
    const defs = Object.values(test.services).map((s) =>
      serviceFromSpecWithLimits(s, { baseEnv: { OTEL_SERVICE_NAME: s.id }, overrideEnv: otelEnv(s.env) }, test.limits),
    );
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
    const deadline = Date.now() + (scenario.timeoutMs ?? policyMs ?? test.meta.timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS);
    const ctx = { set, scenarioService: scenario.service, env: otelEnv({}), remainingMs: () => deadline - Date.now(), parentSpan: scenarioSpan };
    const outputs: string[] = [];
    const record = (r: { result: StepResult; stdout: string }) => {
      steps.push(r.result);
      outputs.push(r.stdout);
      env.emit({ type: 'step-end', test: test.name, step: r.result });
    };
    const all = scenarioSteps(scenario);
    if (scenario.concurrent) {
      for (const r of await Promise.all(all.map((s) => runStep(s, ctx)))) record(r);
    } else {
      for (const [i, step] of all.entries()) {
        if (env.signal.aborted) break;
        record(await runStep(step, ctx));
        const last = steps[steps.length - 1]!;
        if (last.verdict === 'failed' || last.verdict === 'error') {
          for (const skipped of all.slice(i + 1)) {
            steps.push({ name: skipped.name, target: skipped.service ?? scenario.service ?? 'fresh', command: skipped.command, verdict: 'skipped', exitCode: null, expectedExitCode: skipped.expectedExitCode, timedOut: false, durationMs: 0, message: `not run: step "${last.name}" failed`, stdoutTail: '', stderrTail: '' });
          }
          break;
        }
      }
    }
    sampler?.stop();
    if (env.signal.aborted) throw new Error('cancelled');
    if (scenario.artifacts.some((a) => a === 'spans' || a.startsWith('spans:'))) {
      const collected = outputs.flatMap((o) => spansFromOutput(o, tags));
      if (collected.length > 0) env.store.ingest(collected);
    }
    // Stop first: SDKs flush their last spans on SIGTERM; then wait until nothing more arrives.
    containers = await set.stop();
    // Removing the stopped containers overlaps the wait for the last spans (their senders are gone).
    disposal = set.dispose();
    await waitForQuiet(env.store, env.receiver, runId, { quietMs: env.quietMs, maxWaitMs: env.maxSpanWaitMs, signal: env.signal });
  } catch (error) {
    problems.push(env.signal.aborted ? { code: 'runner.cancelled', message: 'the run was cancelled (SIGINT/SIGTERM); its containers were removed' } : toProblem(error));
    if (set && containers.length === 0) containers = await set.evidence().catch(() => []);
  } finally {
    sampler?.stop();
    env.signal.removeEventListener('abort', cancel);
    await (disposal ?? set?.dispose())?.catch((e: unknown) => problems.push(toProblem(e)));
  }

  const sutSpans = env.store.live.spans({ executionId: runId });
  // Ended before evaluating, so expectations over the runner's own spans (self-test) can see it.
  scenarioSpan.end({ 'clnrm.span_count': sutSpans.length, 'clnrm.problems': problems.length }, problems.length > 0 ? errorStatus(problems[0]!.message) : { code: 'unset' });
  const evaluation = req.testSpan.child('clnrm.evaluate', { 'clnrm.scenario': scenario.name, 'clnrm.iteration': req.iteration, 'clnrm.scenario_run_id': runId });
  // Without the runner's own spans the evaluated spans are the hashed ones: one index serves both.
  let sutIndex: TraceIndex | undefined;
  if (problems.length === 0) {
    const spans = req.runnerSpans ? [...sutSpans, ...req.runnerSpans] : sutSpans;
    const index = buildTraceIndex(spans);
    if (!req.runnerSpans) sutIndex = index;
    const knownHosts = Object.keys(test.services).flatMap((id) => [id, id.replace(/[_.]/g, '-')]).concat('host.docker.internal');
    expectations = evaluateWithIndex(index, {
      expect: test.expect,
      temporal: test.orchestration?.temporal,
      distributed: test.orchestration?.distributed_tracing,
      knownHosts,
    });
  }
  const names = new Map<string, string>();
  for (const s of req.runnerSpans ? [...sutSpans, ...req.runnerSpans] : sutSpans) names.set(s.spanId, s.name);
  const spanNames: Record<string, string> = {};
  for (const r of expectations) for (const id of r.spans) if (names.has(id)) spanNames[id] = names.get(id)!;
  const verdict = verdictOf(problems, steps, expectations);
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
  };
  evaluation.end(
    { 'clnrm.verdict': verdict, 'clnrm.expectations': expectations.length, 'clnrm.expectations_failed': expectations.filter((e) => !e.passed).length },
    verdict === 'passed' ? { code: 'ok' } : errorStatus(verdict),
  );
  await recordQuietly(`execution ${runId}`, () => env.store.finishExecution(runId, executionOutcome(execution)), warn);
  if (stats.length > 0) await recordQuietly(`container stats of ${runId}`, () => env.store.addContainerStats(statsRows(runId, stats)), warn);
  env.emit({ type: 'scenario-end', test: test.name, execution });
  return execution;
}
