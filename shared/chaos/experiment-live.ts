// Each phase of an experiment judged as soon as it is decided, while the experiment still runs: once its
// window is final (the faults that bound it have really gone in and out), its spans have had time to
// arrive (the newest second left out, as the halt check does, and no load request that started inside it
// still out), it is judged over its own window exactly as the end will judge it. The judgement at the end
// stays the authority: spans that arrive later can still change a verdict, and the run says so.
import { HALT_GRACE_MS } from './experiment-halt';
import { judgeAssertion, type AssertionVerdict, type Request } from './experiment-judge';
import type { ExperimentPlan, PhaseName, PlannedPhase } from './experiment-plan';
import { asRun, type InjectionOutcome } from './experiment-results';

/** Where a running experiment is, in ms from its start. */
export interface ExperimentNow {
  readonly elapsedMs: number;
  readonly outcomes: readonly InjectionOutcome[];
  /** Every request that started before this has its span in: the oldest load request still out, else `elapsedMs`. */
  readonly completeBeforeMs: number;
  /** When it began to stop, once it has (its planned end, a halt, a cancellation, the steps' end). */
  readonly stoppingAtMs?: number;
}

export interface DecidedPhase {
  readonly phase: PhaseName;
  /** The window judged, in ms from the experiment's start. */
  readonly startMs: number;
  readonly endMs: number;
  readonly decidedAtMs: number;
  readonly verdicts: readonly AssertionVerdict[];
}

/** Out (or cannot be undone, or never went in): what it did to the fault window's end is known. */
const outOrFailed = (o: InjectionOutcome): boolean => o.endedMs !== undefined || o.revertError !== undefined || o.error !== undefined;

/**
 * The phases of the plan as run (asRun) whose windows no later fault event can move. The steady state ends
 * when the first fault is in; a fault's start is recorded when it is in, so one not in yet goes in after
 * now: the first fault in fixes it (or every fault failing to go in leaves it as planned). During chaos
 * ends when the last fault is out: final once every fault is out or failed, and recovery with it. A phase
 * cut short by a stop is not final: the end judges it up to the stop.
 */
export function finalPhases(plan: ExperimentPlan, now: ExperimentNow): PlannedPhase[] {
  const { outcomes } = now;
  const steadyFinal = outcomes.some((o) => o.startedMs !== undefined) || outcomes.every((o) => o.error !== undefined);
  const faultsFinal = steadyFinal && outcomes.every(outOrFailed);
  const final: Record<PhaseName, boolean> = { steady_state: steadyFinal, during_chaos: faultsFinal, recovery: faultsFinal };
  const stop = now.stoppingAtMs ?? Infinity;
  return asRun(plan, outcomes).phases.filter((p) => final[p.name] && p.endMs <= stop);
}

/** The phases ready to be decided now: final, with assertions, not decided yet, and their spans in. */
export function readyPhases(plan: ExperimentPlan, now: ExperimentNow, decided: ReadonlySet<PhaseName>): PlannedPhase[] {
  const settledUntil = Math.min(now.elapsedMs - HALT_GRACE_MS, now.completeBeforeMs);
  return finalPhases(plan, now).filter((p) => p.assertions.length > 0 && !decided.has(p.name) && p.endMs <= settledUntil);
}

/** Each ready phase judged over its window, as the end would judge it. */
export function decidePhases(phases: readonly PlannedPhase[], requests: readonly Request[], decidedAtMs: number): DecidedPhase[] {
  return phases.map((p) => ({ phase: p.name, startMs: p.startMs, endMs: p.endMs, decidedAtMs, verdicts: p.assertions.map((a) => judgeAssertion(a, p, requests)) }));
}
