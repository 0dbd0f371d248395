// An experiment as a plan on one time axis (milliseconds from the experiment's start): when each fault
// starts and stops, and which assertions judge which phase window. Built from the full
// `[chaos.experiment]` form or the short one (`fault`/`target`/`timing` + `[expect.resilience]`), with
// every fault checked against the catalog and every target against the file's services.
//
// Timing, one meaning everywhere: `after_steady_state` = when the steady state's `duration_s` ends (0
// without a `[chaos.experiment.steady_state]` table); `after_steady_state_5s` = 5 s after that;
// `at_20s` = 20 s from the start. Steady state is the time before the first fault; during chaos runs
// from the first fault's start to the last one's end; recovery follows for its `duration_s`.
import type { Problem } from '../errors';
import { closest } from '../spec/suggest';
import type { ExperimentTable, InjectionTable, LoadTable, PhaseAssertionTable, PhaseAssertionType, ResilienceTable } from '../spec/schema/chaos-experiment';
import type { FaultCatalog } from './catalog';
import type { FaultFamily, FaultParams } from './fault-spec';

/** The services an experiment's proxy faults need the fault proxy in front of. */
export function proxiedServices(plan: ExperimentPlan): string[] {
  return [...new Set(plan.injections.filter((i) => i.family === 'proxy').map((i) => i.service))];
}

/** A fault's window when the file gives no `duration_s`, and recovery's when it gives no table. */
export const DEFAULT_FAULT_MS = 10_000;
export const DEFAULT_RECOVERY_MS = 30_000;

export type PhaseName = 'steady_state' | 'during_chaos' | 'recovery';

export interface PlannedInjection {
  readonly fault: string;
  /** `proxy`: injected through the fault proxy the runner puts in front of the service. */
  readonly family: FaultFamily;
  readonly service: string;
  readonly params: FaultParams;
  readonly startMs: number;
  readonly durationMs: number;
  /** False for faults nothing can undo (a kill): said before the experiment runs. */
  readonly revertible: boolean;
  /** Where it was declared, e.g. `chaos.experiment.injection[0]`. */
  readonly path: string;
}

export interface PhaseAssertion {
  readonly type: PhaseAssertionType;
  /** Undefined = every root span of the system under test. */
  readonly spanName?: string;
  readonly minSuccessRate?: number;
  readonly p50MaxMs?: number;
  readonly p95MaxMs?: number;
  readonly p99MaxMs?: number;
  readonly mustInclude?: Readonly<Record<string, string>>;
  readonly maxFailoverMs?: number;
  readonly maxRecoveryMs?: number;
  readonly maxDowntimeMs?: number;
  readonly abortOnFail: boolean;
  readonly path: string;
}

export interface PlannedPhase {
  readonly name: PhaseName;
  readonly startMs: number;
  readonly endMs: number;
  readonly assertions: readonly PhaseAssertion[];
}

/** The built-in load generator's requests, aimed at a service's published port. */
export interface PlannedLoad {
  readonly url: string;
  readonly service: string;
  readonly port: number;
  /** Path and query, e.g. `/items/1`. */
  readonly path: string;
  readonly method: string;
  readonly ratePerS: number;
  readonly timeoutMs: number;
}

export interface ExperimentPlan {
  readonly name: string;
  readonly load?: PlannedLoad;
  readonly injections: readonly PlannedInjection[];
  readonly phases: readonly PlannedPhase[];
  readonly totalMs: number;
}

export interface PlanInput {
  readonly experiment: ExperimentTable;
  readonly resilience?: ResilienceTable | readonly ResilienceTable[];
  readonly services: readonly string[];
  /** A service's declared container ports (`ports = [8080]`): the load generator reaches only those. */
  readonly portsOf: (service: string) => readonly number[];
  readonly catalog: FaultCatalog;
}

const BASE = 'chaos.experiment';
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** A timing's anchor and offset, or why it cannot be read. */
export function parseTiming(text: string | undefined): { anchor: 'steady' | 'start'; offsetMs: number } | string {
  const t = (text ?? 'after_steady_state').trim().toLowerCase();
  if (t === 'after_steady_state') return { anchor: 'steady', offsetMs: 0 };
  if (t === 'immediately' || t === 'at_start') return { anchor: 'start', offsetMs: 0 };
  const m = /^(after_steady_state|at)_(\d+(?:\.\d+)?)(ms|s|m)$/.exec(t);
  if (!m) return `timing "${text}" is not one of after_steady_state, after_steady_state_<N>s, at_<N>s, immediately (units ms, s, m)`;
  return { anchor: m[1] === 'at' ? 'start' : 'steady', offsetMs: Number(m[2]) * UNIT_MS[m[3]!]! };
}

/** The plan, or every problem with its key path (nothing is planned from a half-valid experiment). */
export function planExperiment(input: PlanInput): { plan?: ExperimentPlan; problems: Problem[] } {
  const { experiment: e } = input;
  const problems: Problem[] = [];
  const steadyAnchorMs = (e.steady_state?.duration_s ?? 0) * 1000;
  const injections = injectionTables(e, problems).flatMap(({ table, keys, id }) => {
    const planned = planInjection(table, keys, steadyAnchorMs, input, problems);
    return planned ? [{ ...planned, path: id }] : [];
  });
  const load = e.load ? planLoad(e.load, input, problems) : undefined;
  if (problems.length > 0) return { problems };
  const firstStart = Math.min(...injections.map((i) => i.startMs));
  const lastEnd = Math.max(...injections.map((i) => i.startMs + i.durationMs));
  const recoveryEnd = lastEnd + (e.recovery?.duration_s !== undefined ? e.recovery.duration_s * 1000 : DEFAULT_RECOVERY_MS);
  const resilience = resilienceAssertions(input.resilience);
  const phases: PlannedPhase[] = [
    { name: 'steady_state', startMs: 0, endMs: firstStart, assertions: tableAssertions(e.steady_state?.assertion, `${BASE}.steady_state`) },
    { name: 'during_chaos', startMs: firstStart, endMs: lastEnd, assertions: [...tableAssertions(e.during_chaos?.assertion, `${BASE}.during_chaos`), ...resilience.during] },
    { name: 'recovery', startMs: lastEnd, endMs: recoveryEnd, assertions: [...tableAssertions(e.recovery?.assertion, `${BASE}.recovery`), ...resilience.recovery] },
  ];
  return { plan: { name: e.name ?? 'experiment', ...(load ? { load } : {}), injections, phases, totalMs: recoveryEnd }, problems };
}

/** Each fault's table, where its keys are (for problems) and the id its result is reported under. */
function injectionTables(e: ExperimentTable, problems: Problem[]): { table: InjectionTable; keys: string; id: string }[] {
  const out = (e.injection ?? []).map((table, i) => ({ table, keys: `${BASE}.injection[${i}]`, id: `${BASE}.injection[${i}]` }));
  if (e.fault !== undefined || e.target !== undefined) {
    if (e.fault === undefined || e.target === undefined) {
      problems.push({ code: 'chaos.experiment', message: 'the short form needs both fault and target, like fault = "container_kill", target = "service:db"', path: BASE });
    } else {
      // The short form's keys sit on [chaos.experiment] itself; its result is `chaos.experiment.fault`.
      out.push({ table: { fault: e.fault, target: e.target, timing: e.timing, duration_s: e.duration_s }, keys: BASE, id: `${BASE}.fault` });
    }
  }
  if (out.length === 0 && problems.length === 0) {
    problems.push({ code: 'chaos.experiment', message: 'an experiment needs a fault: [[chaos.experiment.injection]] with fault and target, or fault and target on [chaos.experiment]', path: BASE });
  }
  return out;
}

const INJECTION_KEYS = new Set(['fault', 'target', 'timing', 'duration_s']);

function planInjection(t: InjectionTable, keys: string, steadyAnchorMs: number, input: PlanInput, problems: Problem[]): PlannedInjection | undefined {
  const before = problems.length;
  const service = t.target.replace(/^service:/, '');
  if (!input.services.includes(service)) {
    const known = input.services.length > 0 ? input.services.join(', ') : 'none';
    const hint = closest(service, input.services);
    problems.push({ code: 'chaos.experiment', message: `target "${t.target}" is not a service of this file${hint ? ` — did you mean "${hint}"?` : ''} (its services: ${known})`, path: `${keys}.target` });
  }
  const timing = parseTiming(t.timing);
  if (typeof timing === 'string') problems.push({ code: 'chaos.experiment', message: timing, path: `${keys}.timing` });
  const own = Object.fromEntries(Object.entries(t).filter(([k]) => !INJECTION_KEYS.has(k)));
  const checked = input.catalog.validate(t.fault, own, keys);
  problems.push(...checked.problems);
  const spec = input.catalog.get(t.fault);
  if (spec?.family === 'proxy' && input.services.includes(service) && input.portsOf(service).length === 0) {
    problems.push({ code: 'chaos.experiment', message: `${t.fault} goes through the fault proxy, which forwards a service's declared ports: add ports = [...] to service ${service}`, path: `${keys}.target` });
  } else if (spec && !spec.injectable) problems.push({ code: 'chaos.experiment', message: `${t.fault} is declared in [chaos.catalog] but has no injector: it can be listed, not run`, path: `${keys}.fault` });
  if (problems.length > before || typeof timing === 'string' || !checked.params || !spec) return undefined;
  const startMs = (timing.anchor === 'steady' ? steadyAnchorMs : 0) + timing.offsetMs;
  const durationMs = t.duration_s !== undefined ? t.duration_s * 1000 : DEFAULT_FAULT_MS;
  return { fault: t.fault, family: spec.family, service, params: checked.params, startMs, durationMs, revertible: spec.revertible, path: keys };
}

export const DEFAULT_LOAD_RATE = 10;
export const DEFAULT_LOAD_TIMEOUT_MS = 2000;

function planLoad(t: LoadTable, input: PlanInput, problems: Problem[]): PlannedLoad | undefined {
  const path = `${BASE}.load.url`;
  // shared/ has no URL class (no DOM, no Node): the load URL's form is simple enough to read here.
  const m = /^([a-z][a-z0-9+.-]*):\/\/([A-Za-z0-9_.-]+)(?::(\d{1,5}))?(\/[^#\s]*)?$/.exec(t.url);
  if (!m) {
    problems.push({ code: 'chaos.experiment', message: `"${t.url}" is not a URL: write it like "http://api:8080/items/1" (a service of this file and one of its ports)`, path });
    return undefined;
  }
  const [, scheme, service, portText, target] = m as unknown as [string, string, string, string | undefined, string | undefined];
  if (scheme !== 'http') problems.push({ code: 'chaos.experiment', message: `the load generator speaks plain http, not ${scheme}`, path });
  if (!input.services.includes(service)) {
    problems.push({ code: 'chaos.experiment', message: `"${service}" in the load URL is not a service of this file (its services: ${input.services.join(', ') || 'none'})`, path });
    return undefined;
  }
  const port = portText === undefined ? 80 : Number(portText);
  const declared = input.portsOf(service);
  if (!declared.includes(port)) {
    problems.push({ code: 'chaos.experiment', message: `service ${service} does not publish port ${port}: add ports = [${[...declared, port].join(', ')}] to it so the load generator can reach it`, path });
    return undefined;
  }
  return { url: t.url, service, port, path: target ?? '/', method: (t.method ?? 'GET').toUpperCase(), ratePerS: t.rate_per_s ?? DEFAULT_LOAD_RATE, timeoutMs: t.timeout_ms ?? DEFAULT_LOAD_TIMEOUT_MS };
}

function tableAssertions(tables: readonly PhaseAssertionTable[] | undefined, base: string): PhaseAssertion[] {
  return (tables ?? []).map((a, i) => ({
    type: a.type.toLowerCase() as PhaseAssertionType,
    spanName: a.span_name,
    minSuccessRate: a.min_success_rate,
    p50MaxMs: a.p50_max_ms,
    p95MaxMs: a.p95_max_ms,
    p99MaxMs: a.p99_max_ms,
    mustInclude: a.attrs?.must_include,
    maxFailoverMs: a.max_failover_time_ms,
    maxRecoveryMs: a.max_recovery_time_ms,
    maxDowntimeMs: a.max_downtime_ms,
    abortOnFail: a.abort_on_fail ?? false,
    path: `${base}.assertion[${i}]`,
  }));
}

/** `[expect.resilience]` as phase assertions: its during-chaos keys judge the fault window, the rest recovery. */
function resilienceAssertions(tables: ResilienceTable | readonly ResilienceTable[] | undefined): { during: PhaseAssertion[]; recovery: PhaseAssertion[] } {
  const list = tables === undefined ? [] : Array.isArray(tables) ? tables : [tables as ResilienceTable];
  const during: PhaseAssertion[] = [];
  const recovery: PhaseAssertion[] = [];
  list.forEach((r, i) => {
    const path = Array.isArray(tables) ? `expect.resilience[${i}]` : 'expect.resilience';
    const common = { spanName: r.span_name, abortOnFail: false };
    if (r.min_success_rate_during !== undefined) during.push({ ...common, type: 'success_rate', minSuccessRate: r.min_success_rate_during, path: `${path}.min_success_rate_during` });
    if (r.max_failover_time_ms !== undefined) during.push({ ...common, type: 'failover_detected', maxFailoverMs: r.max_failover_time_ms, path: `${path}.max_failover_time_ms` });
    if (r.max_downtime_ms !== undefined) during.push({ ...common, type: 'max_downtime', maxDowntimeMs: r.max_downtime_ms, path: `${path}.max_downtime_ms` });
    if (r.full_recovery_time_ms !== undefined || r.recovers_from_container_kill) {
      recovery.push({ ...common, type: 'return_to_steady_state', maxRecoveryMs: r.full_recovery_time_ms, path: `${path}.${r.full_recovery_time_ms !== undefined ? 'full_recovery_time_ms' : 'recovers_from_container_kill'}` });
    }
  });
  return { during, recovery };
}
