// The chaos layer's place in an execution: a test file's `[chaos.experiment]` starts once the services
// are ready and runs beside the steps for its planned length; its faults are undone before the services
// stop; its verdict (phases judged by the execution's spans) joins the expectations.
import { judgeExperiment, toRequests } from '../../shared/chaos/experiment-judge';
import { planExperiment, proxiedServices, type ExperimentPlan } from '../../shared/chaos/experiment-plan';
import { canHalt, haltCheck, truncateAt } from '../../shared/chaos/experiment-halt';
import type { DecidedPhase } from '../../shared/chaos/experiment-live';
import { asRun, experimentResults } from '../../shared/chaos/experiment-results';
import { judgeExpectChaos, needsLeftovers, type FaultWindow } from '../../shared/chaos/expect-chaos';
import { faultIdentityOf, faultWindowsOf, type FaultWindowRecord, type FaultWindowSource } from '../../shared/chaos/fault-windows';
import { judgePatternTest } from '../../shared/chaos/patterns-judge';
import { patternProxiedServices, planPatterns, type PlannedPatternTest } from '../../shared/chaos/patterns-plan';
import { planScenarioInjection } from '../../shared/chaos/scenario-injection';
import { planScenarioPhases } from '../../shared/chaos/scenario-phases';
import { applyUserCatalog } from '../../shared/chaos/user-catalog';
import { StudioError } from '../../shared/errors';
import type { ExpectationResult } from '../../shared/expect';
import type { Span } from '../../shared/model';
import { declaredTopology, type ScenarioSpec, type TestFile } from '../../shared/spec';
import { ExperimentRun, PROXY_DEAD_MAN_MS, type ExperimentRunOptions } from '../chaos/experiment-run';
import { PhaseWatch } from '../chaos/phase-watch';
import { FAULT_PROXY_API_PORT, faultProxyId, faultProxyInFront } from '../chaos/proxy/interpose';
import type { ProxyTarget } from '../chaos/proxy-injector';
import type Docker from 'dockerode';
import type { ContainerEvidence } from '../docker';
import { listLeftovers } from './cleanup-check';
import type { InterposeRequest } from './interpose';
import type { StepResult } from './types';
import type { RunEventInput } from './run-events';
import type { RunnerEnvironment } from './scenario';
import type { ServiceSetPort } from './service-port';
import { executionSpans } from './span-wait';

export interface ChaosInExecution {
  readonly plan: ExperimentPlan;
  readonly run: ExperimentRun;
  /** Each phase judged as soon as it is decided (`phase-verdict` events); closed when the end judges them all. */
  readonly phases: PhaseWatch;
  /** Where the experiment's summary result goes; none for a `chaos_injection` (its fault's result says it all). */
  readonly summaryPath?: string;
  /** A `chaos_injection` without `duration_ms`: its fault lasts until the steps end. */
  readonly untilStepsEnd: boolean;
  /** Which form declared it: the file's `[chaos.experiment]`, a `chaos_injection`, `[[scenario.phase]]` or a `[chaos.patterns]` test. */
  readonly source: FaultWindowSource;
  /** When the steps ended, in ms from the experiment's start (set by `endWithSteps`). */
  stoppedAtMs?: number;
}

type Catalog = ReturnType<typeof applyUserCatalog>['catalog'];

/** What a scenario's chaos is planned from, and where its summary result is reported (none for a chaos_injection). */
interface PlannedChaos {
  readonly plan: ExperimentPlan;
  readonly catalog: Catalog;
  readonly summaryPath?: string;
  readonly untilStepsEnd?: boolean;
  readonly source: FaultWindowSource;
}

/**
 * The file's `[chaos.patterns]` tests, planned: each runs the scenarios in executions of its own (test-run.ts).
 * Empty without patterns; throws what `validate` would have said.
 */
export function patternTestsOf(test: TestFile): PlannedPatternTest[] {
  const patterns = test.chaos?.patterns;
  if (!patterns) return [];
  const { catalog } = applyUserCatalog(test.chaos?.catalog);
  const services = Object.values(test.services).map((s) => s.id);
  const { tests, problems } = planPatterns({ patterns, services, portsOf: (id) => test.services[id]?.ports ?? [], catalog, hasExperiment: test.chaos?.experiment !== undefined });
  if (problems.length > 0) throw new StudioError(problems[0]!);
  return tests;
}

/**
 * The scenario's experiment, planned: a `[chaos.patterns]` test's fault when the execution runs one (lasting
 * until the steps end), else its own `[[scenario.phase]]` or `chaos_injection` when it has one (a scenario's
 * chaos replaces the file's for that scenario), else the file's `[chaos.experiment]`; undefined when none.
 * Throws what `validate` would have said.
 */
export function planFor(test: TestFile, scenario?: ScenarioSpec, pattern?: PlannedPatternTest): PlannedChaos | undefined {
  const { catalog } = applyUserCatalog(test.chaos?.catalog);
  if (pattern) return { plan: pattern.plan, catalog, untilStepsEnd: true, source: 'pattern' };
  const services = Object.values(test.services).map((s) => s.id);
  const portsOf = (id: string): number[] => test.services[id]?.ports ?? [];
  const index = scenario ? Math.max(0, test.scenarios.indexOf(scenario)) : 0;
  if (scenario?.phases) {
    const { plan, problems } = planScenarioPhases({ scenario: scenario.name, index, phases: scenario.phases, services, portsOf, catalog });
    if (!plan) throw new StudioError(problems[0]!);
    return { plan, catalog, summaryPath: `scenario[${index}].phase`, source: 'phase' };
  }
  if (scenario?.chaosInjection) {
    const input = { scenario: scenario.name, index, table: scenario.chaosInjection, services, portsOf, catalog, ...(scenario.service !== undefined ? { scenarioService: scenario.service } : {}) };
    const { planned, problems } = planScenarioInjection(input);
    if (!planned) throw new StudioError(problems[0]!);
    return { plan: planned.plan, catalog, untilStepsEnd: planned.untilStepsEnd, source: 'scenario' };
  }
  const experiment = test.chaos?.experiment;
  if (experiment === undefined || typeof experiment === 'string') return undefined;
  const planned = planExperiment({ experiment, resilience: test.expect?.resilience, services, portsOf, catalog });
  if (!planned.plan) throw new StudioError(planned.problems[0]!);
  return { plan: planned.plan, catalog, summaryPath: 'chaos.experiment', source: 'experiment' };
}

/** The fault proxy in front of every service the experiment's (or any pattern test's) proxy faults name (its dead-man timer armed). */
export function chaosInterpose(test: TestFile, scenario?: ScenarioSpec): InterposeRequest[] {
  const planned = planFor(test, scenario);
  const services = new Set([...(planned ? proxiedServices(planned.plan) : []), ...patternProxiedServices(patternTestsOf(test))]);
  return [...services].map((service) => faultProxyInFront(service, { deadManMs: PROXY_DEAD_MAN_MS }));
}

/** Where a service's fault proxy API is reachable from here, when the proxy is in front of it. */
function proxyOf(env: RunnerEnvironment, test: TestFile, set: ServiceSetPort, service: string): ProxyTarget | undefined {
  const proxy = set.services().find((s) => s.id === faultProxyId(service));
  const port = proxy?.ports.get(FAULT_PROXY_API_PORT);
  if (port === undefined) return undefined;
  return { api: `http://${env.hostAddress ?? '127.0.0.1'}:${port}`, service, ports: test.services[service]?.ports ?? [] };
}

export function startChaos(env: RunnerEnvironment, test: TestFile, scenario: ScenarioSpec, set: ServiceSetPort, tags: Readonly<Record<string, string>>, pattern?: PlannedPatternTest): ChaosInExecution | undefined {
  const planned = planFor(test, scenario, pattern);
  if (!planned) return undefined;
  const { plan, catalog } = planned;
  // The load goes where the service's name leads on the run network: to its fault proxy when it has one.
  const front = plan.load && proxiedServices(plan).includes(plan.load.service) ? faultProxyId(plan.load.service) : plan.load?.service;
  const published = plan.load && front ? set.service(front).ports.get(plan.load.port) : undefined;
  const log = (message: string): void => env.emit({ type: 'log', source: test.name, message });
  const nameOf = spanNameOf(test);
  if (plan.load && published === undefined) log(`chaos: port ${plan.load.port} of ${plan.load.service} is not published: no load is sent`);
  const run = new ExperimentRun({
    docker: env.docker,
    plan,
    catalog,
    runId: env.runId,
    engineIsLocal: env.hostAddress === undefined,
    containerOf: (id) => set.services().find((s) => s.id === id)?.containerId,
    proxyOf: (service) => proxyOf(env, test, set, service),
    ...(published !== undefined ? { loadTarget: { host: env.hostAddress ?? '127.0.0.1', port: published } } : {}),
    tags,
    ingest: (span) => env.store.ingest([span]),
    log,
    ...haltWatch(env, plan, tags['clnrm.execution_id']),
    onFault: (injection, state, offsetMs, detail) =>
      env.emit({ type: 'fault', test: test.name, executionId: tags['clnrm.execution_id']!, fault: injection.fault, target: injection.service, state, offsetMs, ...(detail !== undefined ? { detail } : {}), ...faultIdentityOf(injection, planned.source, nameOf) }),
  });
  const untilStepsEnd = planned.untilStepsEnd === true;
  log(`chaos: experiment "${plan.name}" started (${(plan.totalMs / 1000).toFixed(1)} s, ${plan.injections.length} fault${plan.injections.length === 1 ? '' : 's'})`);
  const executionId = tags['clnrm.execution_id']!;
  env.emit({ type: 'experiment-started', test: test.name, executionId, experiment: plan.name, startedAtMs: run.startedAtUs / 1000, totalMs: plan.totalMs });
  const phases = new PhaseWatch({
    plan,
    now: () => run.now(),
    requests: () => toRequests(executionSpans(env.store, executionId), run.startedAtUs),
    onDecided: (decided) => env.emit(phaseVerdictEvent(test.name, executionId, plan.name, decided)),
    log,
  });
  return { plan, run, phases, untilStepsEnd, source: planned.source, ...(planned.summaryPath !== undefined ? { summaryPath: planned.summaryPath } : {}) };
}

/** A phase decided while the experiment runs, as the run event the CLI and the studio show. */
export function phaseVerdictEvent(test: string, executionId: string, experiment: string, d: DecidedPhase): RunEventInput {
  const verdicts = d.verdicts.map((v) => ({ path: v.path, type: v.type, passed: v.passed, message: v.message, measured: { ...v.measured }, evidence: [...v.evidence] }));
  return { type: 'phase-verdict', test, executionId, experiment, phase: d.phase, startMs: d.startMs, endMs: d.endMs, decidedAtMs: d.decidedAtMs, verdicts };
}

/** Ends the experiment where the scenario's steps end: a `chaos_injection` without `duration_ms` stops now, others run their length. */
export async function endWithSteps(chaos: ChaosInExecution | undefined): Promise<void> {
  if (!chaos) return;
  if (!chaos.untilStepsEnd) return chaos.run.done();
  chaos.stoppedAtMs ??= Date.now() - chaos.run.startedAtUs / 1000;
  return chaos.run.stop();
}

/** `abort_on_fail` assertions judged over the execution's spans so far, when the plan has any that can halt it. */
function haltWatch(env: RunnerEnvironment, plan: ExperimentPlan, executionId: string | undefined): Pick<ExperimentRunOptions, 'haltCheck'> {
  if (!canHalt(plan) || executionId === undefined) return {};
  return { haltCheck: (now) => haltCheck(asRun(plan, now.outcomes), toRequests(executionSpans(env.store, executionId), now.startedAtUs), now.elapsedMs) };
}

/**
 * The experiment's verdict over the execution's spans, as expectation results; evidence spans get their names
 * in `spanNames`. A halted experiment is judged as far as it got.
 */
export function chaosResults(chaos: ChaosInExecution, system: readonly Span[], spanNames: Record<string, string>): ExpectationResult[] {
  const outcomes = chaos.run.outcomes();
  const halt = chaos.run.haltedBy();
  const ran = asRun(chaos.plan, outcomes);
  const endMs = halt?.atMs ?? chaos.stoppedAtMs;
  const verdict = judgeExperiment(endMs !== undefined ? truncateAt(ran, endMs) : ran, toRequests(system, chaos.run.startedAtUs));
  const [summary, ...rest] = experimentResults(chaos.plan, outcomes, verdict, halt);
  const results = chaos.summaryPath !== undefined ? [{ ...summary!, expectation: chaos.summaryPath }, ...rest] : rest;
  const evidence = new Set(results.flatMap((r) => r.spans));
  for (const s of system) if (evidence.has(s.spanId)) spanNames[s.spanId] = s.name;
  return results;
}

/** A `[chaos.patterns]` test judged over its execution's spans; evidence spans get their names in `spanNames`. */
export function patternResults(pattern: PlannedPatternTest, system: readonly Span[], spanNames: Record<string, string>): ExpectationResult[] {
  const results = judgePatternTest(pattern, system);
  const evidence = new Set(results.flatMap((r) => r.spans));
  for (const s of system) if (evidence.has(s.spanId)) spanNames[s.spanId] = s.name;
  return results;
}

/**
 * When the experiment starts: with the built-in load generator, after the steps (they prepare: seed data,
 * warm caches); without it, beside them (the steps are the traffic).
 */
export function startsAfterSteps(test: TestFile): boolean {
  const experiment = test.chaos?.experiment;
  return typeof experiment === 'object' && experiment.load !== undefined;
}

/** What `[expect.chaos]` is judged from: the execution as it ended. */
export interface ChaosExecutionEvidence {
  readonly executionId: string;
  readonly chaos?: ChaosInExecution;
  readonly steps: readonly StepResult[];
  readonly containers: readonly ContainerEvidence[];
  readonly stoppingAtMs?: number;
  readonly trace: { readonly spans: readonly Span[] };
  readonly system: readonly Span[];
}

/** The faults as they ran, on the spans' clock (epoch µs). */
function faultWindows(chaos: ChaosInExecution | undefined): FaultWindow[] {
  if (!chaos) return [];
  const at = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : chaos.run.startedAtUs + ms * 1000);
  return chaos.run.outcomes().flatMap((o, i) => {
    const injection = chaos.plan.injections[i]!;
    if (o.startedMs === undefined && o.error === undefined) return [];
    const endUs = at(o.endedMs);
    const ends = !injection.revertible || injection.fault === 'container_stop' || injection.fault === 'container_restart';
    return [{ fault: o.fault, family: injection.family, service: o.service, startUs: at(o.startedMs) ?? 0, ...(endUs !== undefined ? { endUs } : {}), ends, undone: o.endedMs !== undefined && o.revertError === undefined, ...(o.error !== undefined ? { error: o.error } : {}) }];
  });
}

/** A service id → the `service.name` its spans carry (OTEL_SERVICE_NAME, else the id). */
function spanNameOf(test: TestFile): (service: string) => string {
  const names = new Map(declaredTopology(test).services.map((s) => [s.id, s.name]));
  return (service) => names.get(service) ?? service;
}

/** The execution's fault windows as recorded in its evidence (on the spans' clock, services by span name). */
export function recordedFaultWindows(chaos: ChaosInExecution | undefined, test: TestFile): FaultWindowRecord[] {
  if (!chaos) return [];
  return faultWindowsOf({ injections: chaos.plan.injections, outcomes: chaos.run.outcomes(), startedAtMs: chaos.run.startedAtUs / 1000, source: chaos.source, nameOf: spanNameOf(test) });
}

/** `[expect.chaos]` judged once the execution's resources are gone (or kept by its cleanup policy). */
export async function expectChaosResults(docker: Docker, table: Readonly<Record<string, unknown>>, ex: ChaosExecutionEvidence): Promise<ExpectationResult[]> {
  // One engine listing, and only when a key judges what is left behind.
  const leftovers = needsLeftovers(table) ? await listLeftovers(docker, ex.executionId).catch(() => undefined) : undefined;
  const containers = ex.containers.map((c) => ({
    service: c.service,
    // Without a stop (the execution failed first), a container not running had ended on its own.
    endedBeforeStop: ex.stoppingAtMs !== undefined ? c.finishedAt !== null && Date.parse(c.finishedAt) < ex.stoppingAtMs : !c.running,
    restarts: c.restartCount,
    exitCode: c.exitCode,
  }));
  return judgeExpectChaos(table, { faults: faultWindows(ex.chaos), steps: ex.steps, containers, ...(leftovers ? { leftovers } : {}), runnerSpans: ex.trace.spans, system: ex.system });
}
