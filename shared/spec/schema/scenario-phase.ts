// `[[scenario.phase]]` (the seed's chaos form inside a scenario): named phases in order — a baseline, one
// with `[[scenario.phase.chaos]]` faults, a recovery — each judged by its `[[scenario.phase.expect]]`
// tables over the spans inside its window. shared/chaos/scenario-phases.ts plans them as an experiment.
import { z } from 'zod';
import { anyMap, bool, nonNegInt, num, shape, str } from './common';

const rate = (what: string) => num(`${what}: a fraction from 0 to 1 like 0.99`).min(0).max(1);
const ms = (what: string) => nonNegInt(`${what}: whole milliseconds like 500`);

export const phaseExpectSchema = z.object(
  {
    success_rate: rate('success_rate').optional(),
    p50_latency_ms: ms('p50_latency_ms').optional(),
    p95_latency_ms: ms('p95_latency_ms').optional(),
    p99_latency_ms: ms('p99_latency_ms').optional(),
    max_downtime_ms: ms('max_downtime_ms').optional(),
    max_recovery_time_ms: ms('max_recovery_time_ms').optional(),
    /** Which spans count as requests; absent = every root span of the system under test. */
    span_name: str('a span name like "api.request"').optional(),
    /** Seed keys without a check here: `validate` names them, they are not judged. */
    container_restarted: bool().optional(),
    final_success: bool().optional(),
    no_state_leakage: bool().optional(),
  },
  shape('a table like [[scenario.phase.expect]] with success_rate = 1.0, p95_latency_ms = 100'),
);

/** A fault of a chaos phase: `fault`, `target` and the fault's own parameters. */
const phaseFaultSchema = anyMap('a table like [[scenario.phase.chaos]] with fault = "container_kill", target = "service:db"');

export const phaseSchema = z.object(
  {
    name: str('a phase name like "baseline"').min(1, 'must not be empty'),
    /** How long the phase lasts (ours: the seed gives phases no length). */
    duration_s: num('seconds like 10').min(0.1, shape('seconds > 0 like 10')).optional(),
    /** `false` (a phase without faults) or the phase's faults as [[scenario.phase.chaos]]. */
    chaos: z.union([bool(), z.array(phaseFaultSchema)], shape('false, or tables [[scenario.phase.chaos]] with fault and target')).optional(),
    expect: z.array(phaseExpectSchema, shape('tables [[scenario.phase.expect]]')).optional(),
  },
  shape('a table like [[scenario.phase]] with name'),
);

export type PhaseSection = z.infer<typeof phaseSchema>;
export type PhaseExpectSection = z.infer<typeof phaseExpectSchema>;

/** Phase expectation keys named by `validate` as not judged. */
export const UNJUDGED_PHASE_KEYS = ['container_restarted', 'final_success', 'no_state_leakage'] as const;
