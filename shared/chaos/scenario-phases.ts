// `[[scenario.phase]]` as an experiment on the same plan, injector and judge as `[chaos.experiment]`: the
// phase before the chaos phase is the steady state, the chaos phase's `[[scenario.phase.chaos]]` faults run
// for its length, the phase after it is the recovery. Each phase lasts its `duration_s` (ours: the seed gives
// phases no length; defaults below) and its `[[scenario.phase.expect]]` keys become that window's assertions,
// reported at their own key paths. Traffic is the scenario's steps, which run beside the phases.
import type { Problem } from '../errors';
import type { ExperimentTable, InjectionTable, PhaseAssertionTable } from '../spec/schema/chaos-experiment';
import type { PhaseExpectSection, PhaseSection } from '../spec/schema/scenario-phase';
import type { FaultCatalog } from './catalog';
import { DEFAULT_FAULT_MS, DEFAULT_RECOVERY_MS, planExperiment, type ExperimentPlan, type PhaseName } from './experiment-plan';

/** A baseline phase's length when it gives none. */
export const DEFAULT_BASELINE_S = 5;

export interface ScenarioPhasesInput {
  readonly scenario: string;
  readonly index: number;
  readonly phases: readonly PhaseSection[];
  readonly services: readonly string[];
  readonly portsOf: (service: string) => readonly number[];
  readonly catalog: FaultCatalog;
}

const isChaos = (p: PhaseSection): boolean => Array.isArray(p.chaos) && p.chaos.length > 0;

/** Which experiment phase each scenario phase is, or why the list has no such shape. */
function roles(phases: readonly PhaseSection[], at: (j: number) => string): { roles?: PhaseName[]; problem?: Problem } {
  const chaos = phases.flatMap((p, j) => (isChaos(p) ? [j] : []));
  const problem = (message: string, path: string): { problem: Problem } => ({ problem: { code: 'chaos.experiment', message, path } });
  if (chaos.length === 0) return problem('the phases need one with faults: [[scenario.phase.chaos]] with fault and target', at(0));
  if (chaos.length > 1) return problem(`only one phase may inject faults (a steady state → chaos → recovery shape); "${phases[chaos[1]!]!.name}" is a second`, `${at(chaos[1]!)}.chaos`);
  const c = chaos[0]!;
  if (c > 1) return problem(`one phase before the chaos phase at most (its steady state); "${phases[0]!.name}" and "${phases[1]!.name}" both come before it`, at(1));
  if (phases.length - c > 2) return problem(`one phase after the chaos phase at most (its recovery); "${phases[c + 2]!.name}" is one more`, at(c + 2));
  return { roles: phases.map((_, j) => (j < c ? 'steady_state' : j === c ? 'during_chaos' : 'recovery')) };
}

/** One expect table's keys as phase assertions, each with the key path it is reported at. */
function assertionsOf(e: PhaseExpectSection, path: string): { table: PhaseAssertionTable; path: string }[] {
  const common = e.span_name !== undefined ? { span_name: e.span_name } : {};
  const out: { table: PhaseAssertionTable; path: string }[] = [];
  if (e.success_rate !== undefined) out.push({ table: { ...common, type: 'success_rate', min_success_rate: e.success_rate }, path: `${path}.success_rate` });
  for (const q of ['p50', 'p95', 'p99'] as const) {
    const limit = e[`${q}_latency_ms`];
    if (limit !== undefined) out.push({ table: { ...common, type: 'latency', [`${q}_max_ms`]: limit }, path: `${path}.${q}_latency_ms` });
  }
  if (e.max_downtime_ms !== undefined) out.push({ table: { ...common, type: 'max_downtime', max_downtime_ms: e.max_downtime_ms }, path: `${path}.max_downtime_ms` });
  if (e.max_recovery_time_ms !== undefined) out.push({ table: { ...common, type: 'return_to_steady_state', max_recovery_time_ms: e.max_recovery_time_ms }, path: `${path}.max_recovery_time_ms` });
  return out;
}

/** The phases planned, or every problem at its key (`scenario[i].phase[j]…`). */
export function planScenarioPhases(input: ScenarioPhasesInput): { plan?: ExperimentPlan; problems: Problem[] } {
  const at = (j: number): string => `scenario[${input.index}].phase[${j}]`;
  const shaped = roles(input.phases, at);
  if (!shaped.roles) return { problems: [shaped.problem!] };
  const byRole = new Map<PhaseName, { table: PhaseAssertionTable; path: string }[]>();
  const lengthS = new Map<PhaseName, number>();
  input.phases.forEach((p, j) => {
    const role = shaped.roles![j]!;
    byRole.set(role, (p.expect ?? []).flatMap((e, k) => assertionsOf(e, `${at(j)}.expect[${k}]`)));
    if (p.duration_s !== undefined) lengthS.set(role, p.duration_s);
  });
  const c = shaped.roles.indexOf('during_chaos');
  const faults = (input.phases[c]!.chaos as Record<string, unknown>[]).map((f) => ({ ...f, timing: 'after_steady_state', duration_s: lengthS.get('during_chaos') ?? DEFAULT_FAULT_MS / 1000 }) as InjectionTable);
  const assertion = (role: PhaseName) => (byRole.get(role) ?? []).map((a) => a.table);
  const experiment: ExperimentTable = {
    name: `${input.scenario} phases`,
    steady_state: { duration_s: shaped.roles[0] === 'steady_state' ? (lengthS.get('steady_state') ?? DEFAULT_BASELINE_S) : 0, assertion: assertion('steady_state') },
    injection: faults,
    during_chaos: { assertion: assertion('during_chaos') },
    recovery: { duration_s: shaped.roles.includes('recovery') ? (lengthS.get('recovery') ?? DEFAULT_RECOVERY_MS / 1000) : 0, assertion: assertion('recovery') },
  };
  const planned = planExperiment({ experiment, services: [...input.services], portsOf: input.portsOf, catalog: input.catalog });
  // Problems and results point at the phase keys the user wrote, not the experiment's.
  const faultPath = (p: string | undefined): string => (p ?? '').replace(/^chaos\.experiment\.injection\[(\d+)\]/, (_, i: string) => `${at(c)}.chaos[${i}]`).replace(/^chaos\.experiment$/, at(c));
  // An unknown fault is the fault key's problem, not its table's.
  const problemPath = (p: Problem): string => faultPath(p.path) + (p.code === 'chaos.unknown-fault' && /\.chaos\[\d+\]$/.test(faultPath(p.path)) ? '.fault' : '');
  if (!planned.plan) return { problems: planned.problems.map((p) => ({ ...p, path: problemPath(p) })) };
  const plan: ExperimentPlan = {
    ...planned.plan,
    injections: planned.plan.injections.map((i) => ({ ...i, path: faultPath(i.path) })),
    phases: planned.plan.phases.map((phase) => ({ ...phase, assertions: phase.assertions.map((a, k) => ({ ...a, path: byRole.get(phase.name)?.[k]?.path ?? a.path })) })),
  };
  return { plan, problems: [] };
}
