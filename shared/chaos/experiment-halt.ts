// Halting an experiment while it runs (Gremlin's "halt conditions"): an assertion marked `abort_on_fail`
// is judged over the part of its phase seen so far, and the first one that fails stops the experiment —
// every fault undone at once. Only assertions a prefix can decide halt: a success rate or latency over the
// requests so far, and downtime (it only grows). Recovery and failover are decided by their whole window,
// so they are judged when the experiment ends.
import { BUCKET_MS, judgeAssertion, type AssertionVerdict, type Request } from './experiment-judge';
import type { PhaseAssertionType } from '../spec/schema/chaos-experiment';
import type { ExperimentPlan, PhaseName } from './experiment-plan';

/** Requests whose spans may still be on their way are left out: the newest second is not judged yet. */
export const HALT_GRACE_MS = 1000;
export const HALTING_TYPES: readonly PhaseAssertionType[] = ['success_rate', 'latency', 'degraded_performance', 'max_downtime'];

export interface Halt {
  /** When it halted, in ms from the experiment's start. */
  readonly atMs: number;
  readonly phase: PhaseName;
  readonly verdict: AssertionVerdict;
}

/** Whether the plan has an assertion that can halt it (otherwise nobody needs to watch). */
export function canHalt(plan: ExperimentPlan): boolean {
  return plan.phases.some((p) => p.assertions.some((a) => a.abortOnFail && HALTING_TYPES.includes(a.type)));
}

/**
 * The first `abort_on_fail` assertion that fails over its phase so far (at `elapsedMs` from the start),
 * judged once at least a second of the phase is settled and it has requests; undefined when none fails.
 */
export function haltCheck(plan: ExperimentPlan, requests: readonly Request[], elapsedMs: number): Halt | undefined {
  const settled = elapsedMs - HALT_GRACE_MS;
  for (const phase of plan.phases) {
    const endMs = Math.min(phase.endMs, settled);
    if (endMs - phase.startMs < BUCKET_MS) continue;
    for (const a of phase.assertions) {
      if (!a.abortOnFail || !HALTING_TYPES.includes(a.type)) continue;
      const verdict = judgeAssertion(a, { ...phase, endMs }, requests);
      if (!verdict.passed && (verdict.measured.requests ?? 0) > 0) return { atMs: elapsedMs, phase: phase.name, verdict };
    }
  }
  return undefined;
}

/** The plan as far as a halted experiment got: phases cut at the halt, the ones not reached left out. */
export function truncateAt(plan: ExperimentPlan, atMs: number): ExperimentPlan {
  const phases = plan.phases.filter((p) => p.startMs < atMs).map((p) => (p.endMs > atMs ? { ...p, endMs: atMs } : p));
  return { ...plan, phases, totalMs: Math.min(plan.totalMs, atMs) };
}
