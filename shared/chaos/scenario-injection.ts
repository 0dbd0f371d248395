// clnrm's scenario-level `chaos_injection = { type, delay_ms, signal, … }` as a one-fault experiment on
// the same plan, injector and report as `[chaos.experiment]`.
//
// The rule for `delay_ms`, which two forms read differently: here it is WHEN the fault starts — that many
// ms after the scenario's steps begin (clnrm's meaning) — never a delay the fault adds to traffic (that is
// the proxy fault `latency` with `latency_ms`). The fault lasts `duration_ms` when given, otherwise until the
// scenario's steps end, and is undone then (a kill cannot be: said in its result).
import type { Problem } from '../errors';
import type { ExperimentTable, InjectionTable } from '../spec/schema/chaos-experiment';
import type { FaultCatalog } from './catalog';
import { planExperiment, type ExperimentPlan } from './experiment-plan';

/** clnrm's fault names for ours; any name of our catalog is taken as it is. */
export const CLNRM_FAULT_TYPES: Readonly<Record<string, string>> = {
  kill_container: 'container_kill',
  stop_container: 'container_stop',
  restart_container: 'container_restart',
  pause_container: 'container_pause',
  kill_process: 'process_kill',
};

/** How the meaning of `delay_ms` is said by `validate` and in the docs. */
export const DELAY_MS_MEANING = 'delay_ms here is when the fault starts (ms after the scenario\'s steps begin, clnrm\'s meaning), not latency added to traffic (for that: type = "latency" with latency_ms)';

/** A fault with no `duration_ms` lasts until the steps end; the runner stops it then, this only bounds the plan. */
export const UNTIL_STEPS_END_S = 86_400;
const OWN_KEYS = new Set(['type', 'delay_ms', 'duration_ms', 'target']);

export interface ScenarioInjectionInput {
  readonly scenario: string;
  /** The scenario's index in the file, for key paths (`scenario[1].chaos_injection`). */
  readonly index: number;
  readonly table: Readonly<Record<string, unknown>>;
  /** The scenario's `service`: the target when the table names none. */
  readonly scenarioService?: string;
  readonly services: readonly string[];
  readonly portsOf: (service: string) => readonly number[];
  readonly catalog: FaultCatalog;
}

export interface ScenarioInjectionPlan {
  readonly plan: ExperimentPlan;
  /** True when the fault lasts until the steps end (no `duration_ms`). */
  readonly untilStepsEnd: boolean;
  /** `scenario[i].chaos_injection`: where results and problems point. */
  readonly path: string;
}

const nonNegative = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** The table's own keys checked, then the fault planned like `[[chaos.experiment.injection]]`; every problem at its key. */
export function planScenarioInjection(input: ScenarioInjectionInput): { planned?: ScenarioInjectionPlan; problems: Problem[] } {
  const path = `scenario[${input.index}].chaos_injection`;
  const { type, delay_ms: delay, duration_ms: duration, target } = input.table;
  const problems: Problem[] = [];
  const problem = (key: string, message: string): void => void problems.push({ code: 'chaos.experiment', message, path: key ? `${path}.${key}` : path });
  if (typeof type !== 'string' || type === '') problem('type', `chaos_injection needs a type, like type = "kill_container" (or any fault of \`clnrm chaos faults\`)`);
  if (delay !== undefined && !nonNegative(delay)) problem('delay_ms', `delay_ms must be a number of ms ≥ 0: ${DELAY_MS_MEANING}`);
  if (duration !== undefined && !(nonNegative(duration) && duration > 0)) problem('duration_ms', 'duration_ms must be a number of ms > 0 (how long the fault lasts; without it, until the steps end)');
  if (target !== undefined && typeof target !== 'string') problem('target', 'target must be a service name, like target = "service:db"');
  const service = typeof target === 'string' ? target : input.scenarioService;
  if (service === undefined) problem('', 'chaos_injection needs a target: give the scenario a service, or target = "service:NAME"');
  if (problems.length > 0) return { problems };
  const params = Object.fromEntries(Object.entries(input.table).filter(([k]) => !OWN_KEYS.has(k)));
  const injection = {
    ...params,
    fault: CLNRM_FAULT_TYPES[type as string] ?? (type as string),
    target: service!.startsWith('service:') ? service! : `service:${service}`,
    timing: `at_${(delay as number | undefined) ?? 0}ms`,
    duration_s: duration !== undefined ? (duration as number) / 1000 : UNTIL_STEPS_END_S,
  } as InjectionTable;
  const experiment: ExperimentTable = { name: `${input.scenario} chaos_injection`, injection: [injection], recovery: { duration_s: 0 } };
  const planned = planExperiment({ experiment, services: [...input.services], portsOf: input.portsOf, catalog: input.catalog });
  // The experiment's key paths become the scenario's (`chaos.experiment.injection[0].signal` → `…chaos_injection.signal`).
  const moved = (p: Problem): string => {
    const at = (p.path ?? '').replace(/^chaos\.experiment(\.injection\[0\])?/, path).replace(/\.fault$/, '.type').replace(/\.timing$/, '.delay_ms');
    return p.code === 'chaos.unknown-fault' && at === path ? `${path}.type` : at;
  };
  if (!planned.plan) return { problems: planned.problems.map((p) => ({ ...p, path: moved(p) })) };
  const plan: ExperimentPlan = { ...planned.plan, injections: planned.plan.injections.map((i) => ({ ...i, path })) };
  return { planned: { plan, untilStepsEnd: duration === undefined, path }, problems: [] };
}
