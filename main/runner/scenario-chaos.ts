// The chaos layer's place in an execution: a test file's `[chaos.experiment]` starts once the services
// are ready and runs beside the steps for its planned length; its faults are undone before the services
// stop; its verdict (phases judged by the execution's spans) joins the expectations.
import { judgeExperiment, toRequests } from '../../shared/chaos/experiment-judge';
import { planExperiment, type ExperimentPlan } from '../../shared/chaos/experiment-plan';
import { asRun, experimentResults } from '../../shared/chaos/experiment-results';
import { applyUserCatalog } from '../../shared/chaos/user-catalog';
import { StudioError } from '../../shared/errors';
import type { ExpectationResult } from '../../shared/expect';
import type { Span } from '../../shared/model';
import type { TestFile } from '../../shared/spec';
import { ExperimentRun } from '../chaos/experiment-run';
import type { RunnerEnvironment } from './scenario';
import type { ServiceSetPort } from './service-port';

export interface ChaosInExecution {
  readonly plan: ExperimentPlan;
  readonly run: ExperimentRun;
}

/** The test's experiment, planned; undefined when it has none. Throws what `validate` would have said. */
export function planFor(test: TestFile): { plan: ExperimentPlan; catalog: ReturnType<typeof applyUserCatalog>['catalog'] } | undefined {
  const experiment = test.chaos?.experiment;
  if (experiment === undefined || typeof experiment === 'string') return undefined;
  const { catalog } = applyUserCatalog(test.chaos?.catalog);
  const services = Object.values(test.services);
  const planned = planExperiment({ experiment, resilience: test.expect?.resilience, services: services.map((s) => s.id), portsOf: (id) => test.services[id]?.ports ?? [], catalog });
  if (!planned.plan) throw new StudioError(planned.problems[0]!);
  return { plan: planned.plan, catalog };
}

export function startChaos(env: RunnerEnvironment, test: TestFile, set: ServiceSetPort, tags: Readonly<Record<string, string>>): ChaosInExecution | undefined {
  const planned = planFor(test);
  if (!planned) return undefined;
  const { plan, catalog } = planned;
  const published = plan.load ? set.service(plan.load.service).ports.get(plan.load.port) : undefined;
  const log = (message: string): void => env.emit({ type: 'log', source: test.name, message });
  if (plan.load && published === undefined) log(`chaos: port ${plan.load.port} of ${plan.load.service} is not published: no load is sent`);
  const run = new ExperimentRun({
    docker: env.docker,
    plan,
    catalog,
    runId: env.runId,
    engineIsLocal: env.hostAddress === undefined,
    containerOf: (id) => set.services().find((s) => s.id === id)?.containerId,
    ...(published !== undefined ? { loadTarget: { host: env.hostAddress ?? '127.0.0.1', port: published } } : {}),
    tags,
    ingest: (span) => env.store.ingest([span]),
    log,
  });
  log(`chaos: experiment "${plan.name}" started (${(plan.totalMs / 1000).toFixed(1)} s, ${plan.injections.length} fault${plan.injections.length === 1 ? '' : 's'})`);
  return { plan, run };
}

/** The experiment's verdict over the execution's spans, as expectation results; evidence spans get their names in `spanNames`. */
export function chaosResults(chaos: ChaosInExecution, system: readonly Span[], spanNames: Record<string, string>): ExpectationResult[] {
  const outcomes = chaos.run.outcomes();
  const verdict = judgeExperiment(asRun(chaos.plan, outcomes), toRequests(system, chaos.run.startedAtUs));
  const results = experimentResults(chaos.plan, outcomes, verdict);
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
