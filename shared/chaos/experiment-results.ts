// An experiment's outcome as expectation results, so it reaches every report, the studio and the run's
// verdict like any other expectation: one result per fault (injected and reverted, or why not), one per
// phase assertion (with its evidence spans), and a summary with the resilience score.
import type { ExpectationResult } from '../expect';
import type { Halt } from './experiment-halt';
import type { ExperimentVerdict } from './experiment-judge';
import type { ExperimentPlan } from './experiment-plan';

/** What happened to one planned fault, in ms from the experiment's start. */
export interface InjectionOutcome {
  readonly path: string;
  readonly fault: string;
  readonly service: string;
  readonly startedMs?: number;
  readonly endedMs?: number;
  /** Why it could not be injected. */
  readonly error?: string;
  /** Why it could not be undone (the reaper tries again from labels). */
  readonly revertError?: string;
  /** A kill: nothing to undo, by design. */
  readonly irreversible?: boolean;
}

/**
 * The plan with its phase windows moved to when the faults really started and ended (an injection takes
 * time; a revert too), so each phase is judged over what the system went through. The end stays put: the
 * load stops at the planned length.
 */
export function asRun(plan: ExperimentPlan, outcomes: readonly InjectionOutcome[]): ExperimentPlan {
  const starts = outcomes.flatMap((o) => (o.startedMs !== undefined ? [o.startedMs] : []));
  const ends = outcomes.flatMap((o) => (o.endedMs !== undefined ? [o.endedMs] : []));
  if (starts.length === 0) return plan;
  const faultStart = Math.min(...starts);
  const faultEnd = Math.min(plan.totalMs, Math.max(faultStart, ...ends, ...plan.injections.map((i) => i.startMs + i.durationMs)));
  const bounds: Record<string, [number, number]> = { steady_state: [0, faultStart], during_chaos: [faultStart, faultEnd], recovery: [faultEnd, plan.totalMs] };
  return { ...plan, phases: plan.phases.map((p) => ({ ...p, startMs: bounds[p.name]![0], endMs: bounds[p.name]![1] })) };
}

export function experimentResults(plan: ExperimentPlan, outcomes: readonly InjectionOutcome[], verdict: ExperimentVerdict, halt?: Halt): ExpectationResult[] {
  const faults = outcomes.map(injectionResult);
  const assertions = verdict.phases.flatMap((phase) =>
    phase.verdicts.map((v): ExpectationResult => ({ expectation: v.path, kind: 'chaos', passed: v.passed, message: `${phase.name}: ${v.message}`, spans: [...v.evidence] })),
  );
  const failed = [...faults, ...assertions].filter((r) => !r.passed).length;
  const score = verdict.score !== undefined ? `resilience score ${verdict.score}` : 'no assertions to score';
  const halted = halt ? `halted at ${sec(halt.atMs)}: ${halt.verdict.path} failed in ${halt.phase} (${halt.verdict.message}), every fault undone then; ` : '';
  const summary: ExpectationResult = {
    expectation: 'chaos.experiment',
    kind: 'chaos',
    passed: failed === 0 && !halt,
    message: `experiment "${plan.name}": ${halted}${score}; ${assertions.length - assertions.filter((r) => !r.passed).length} of ${assertions.length} assertions held, ${faults.filter((r) => r.passed).length} of ${faults.length} faults injected and undone; ${timeline(verdict)}`,
    spans: [],
  };
  return [summary, ...faults, ...assertions];
}

function injectionResult(o: InjectionOutcome): ExpectationResult {
  const what = `${o.fault} on ${o.service}`;
  const base = { expectation: o.path, kind: 'chaos' as const, spans: [] };
  if (o.error !== undefined) return { ...base, passed: false, message: `${what} could not be injected: ${o.error}` };
  if (o.revertError !== undefined) return { ...base, passed: false, message: `${what} was injected but not undone: ${o.revertError}` };
  if (o.startedMs === undefined) return { ...base, passed: false, message: `${what} was never injected: the experiment ended before its time` };
  const window = `from ${sec(o.startedMs)} to ${sec(o.endedMs)}`;
  return { ...base, passed: true, message: `${what} ${window}${o.irreversible ? ' (cannot be undone: a kill)' : ', undone'}` };
}

/** The phases as judged, e.g. "steady_state 0.0–3.2 s, during_chaos 3.2–6.4 s, recovery 6.4–10.0 s". */
function timeline(verdict: ExperimentVerdict): string {
  if (verdict.phases.length === 0) return 'no phase judged';
  return `phases ${verdict.phases.map((p) => `${p.name} ${(p.startMs / 1000).toFixed(1)}–${sec(p.endMs)}`).join(', ')}`;
}

const sec = (ms: number | undefined): string => (ms === undefined ? '?' : `${(ms / 1000).toFixed(1)} s`);
