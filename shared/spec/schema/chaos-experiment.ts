// `[chaos.experiment]` and `[expect.resilience]`: the seed's experiment forms (clnrm's
// docs/architecture/hyper_advanced_framework.md, SUMMARY.md). An experiment is steady state → injection →
// during chaos → recovery, each phase judged by assertions over the spans inside its time window
// (shared/chaos/experiment-plan.ts turns these tables into a plan; experiment-judge.ts judges it).
import { z } from 'zod';
import { bool, int, nonNegInt, num, oneOf, shape, str, stringMap } from './common';

/** What a phase assertion measures over the spans of its window. */
export const PHASE_ASSERTION_TYPES = [
  'success_rate',
  'latency',
  'degraded_performance',
  'failover_detected',
  'return_to_steady_state',
  'max_downtime',
] as const;
export type PhaseAssertionType = (typeof PHASE_ASSERTION_TYPES)[number];

export const rate = (what: string) => num(`${what}: a fraction from 0 to 1 like 0.99`).min(0).max(1);
export const ms = (what: string) => nonNegInt(`${what}: whole milliseconds like 500`);
const seconds = (what: string) => num(`${what}: seconds like 30`).min(0, shape(`${what}: seconds ≥ 0 like 30`));

export const phaseAssertionSchema = z.object(
  {
    type: oneOf(PHASE_ASSERTION_TYPES, 'an assertion type'),
    /** Which spans count as requests; absent = every root span of the system under test. */
    span_name: str('a span name like "api.request"').optional(),
    min_success_rate: rate('min_success_rate').optional(),
    p50_max_ms: ms('p50_max_ms').optional(),
    p95_max_ms: ms('p95_max_ms').optional(),
    p99_max_ms: ms('p99_max_ms').optional(),
    /** failover_detected: the attributes a span shows once traffic has moved. */
    attrs: z.object({ must_include: stringMap().optional() }, shape('a table like { must_include = { "db.host" = "replica" } }')).optional(),
    max_failover_time_ms: ms('max_failover_time_ms').optional(),
    max_recovery_time_ms: ms('max_recovery_time_ms').optional(),
    max_downtime_ms: ms('max_downtime_ms').optional(),
    /** When it fails, the experiment halts at once and every fault is reverted (Gremlin's halt). */
    abort_on_fail: bool().optional(),
  },
  shape('a table [[…assertion]] like { type = "success_rate", span_name = "api.request", min_success_rate = 0.99 }'),
);

const assertions = z.array(phaseAssertionSchema, shape('an array of tables [[…assertion]]'));

const timedPhaseSchema = (name: string) =>
  z.object({ duration_s: seconds('duration_s').optional(), assertion: assertions.optional() }, shape(`a table [chaos.experiment.${name}]`));

/** One fault of an experiment. Keys other than these are the fault's parameters, checked against the catalog. */
export const injectionSchema = z
  .object(
    {
      fault: str('a fault id like "container_kill" (see `clnrm chaos faults`)').min(1),
      target: str('a service like "service:db" or "db"').min(1),
      timing: str('a timing like "after_steady_state", "after_steady_state_5s" or "at_20s"').optional(),
      duration_s: seconds('duration_s').optional(),
    },
    shape('a table [[chaos.experiment.injection]] like { fault = "container_pause", target = "service:db" }'),
  )
  .catchall(z.unknown());

/** The built-in load generator: steady HTTP requests from the runner to a service's published port. */
export const loadSchema = z.object(
  {
    url: str('a URL of a service of this file like "http://api:8080/items/1"').min(1),
    method: oneOf(['GET', 'HEAD', 'POST', 'PUT', 'DELETE'], 'an HTTP method').optional(),
    rate_per_s: num('requests per second from 0.1 to 200, like 10').min(0.1, shape('requests per second from 0.1 to 200, like 10')).max(200, shape('requests per second from 0.1 to 200, like 10')).optional(),
    timeout_ms: int('a timeout from 1 to 60000 ms, like 2000').min(1, shape('a timeout from 1 to 60000 ms, like 2000')).max(60_000, shape('a timeout from 1 to 60000 ms, like 2000')).optional(),
  },
  shape('a table [chaos.experiment.load] like { url = "http://api:8080/items/1", rate_per_s = 10 }'),
);

/** The full form, or the short one (`fault`, `target`, `timing` on the experiment itself). */
export const experimentSchema = z.object(
  {
    name: str().optional(),
    description: str().optional(),
    steady_state: timedPhaseSchema('steady_state').optional(),
    injection: z.array(injectionSchema, shape('an array of tables [[chaos.experiment.injection]]')).optional(),
    during_chaos: z.object({ assertion: assertions.optional() }, shape('a table [chaos.experiment.during_chaos]')).optional(),
    recovery: timedPhaseSchema('recovery').optional(),
    load: loadSchema.optional(),
    fault: str('a fault id like "container_kill"').optional(),
    target: str('a service like "service:db"').optional(),
    timing: str('a timing like "after_steady_state_30s"').optional(),
    duration_s: seconds('duration_s').optional(),
  },
  shape('a table [chaos.experiment]'),
);

/** `[expect.resilience]`: the short form's expectations, in the words of clnrm's SUMMARY.md. */
export const resilienceSchema = z.object(
  {
    span_name: str('a span name like "api.request"').optional(),
    max_failover_time_ms: ms('max_failover_time_ms').optional(),
    min_success_rate_during: rate('min_success_rate_during').optional(),
    full_recovery_time_ms: ms('full_recovery_time_ms').optional(),
    max_downtime_ms: ms('max_downtime_ms').optional(),
    recovers_from_container_kill: bool().optional(),
  },
  shape('a table [expect.resilience]'),
);

export type PhaseAssertionTable = z.infer<typeof phaseAssertionSchema>;
export type InjectionTable = z.infer<typeof injectionSchema>;
export type ExperimentTable = z.infer<typeof experimentSchema>;
export type LoadTable = z.infer<typeof loadSchema>;
export type ResilienceTable = z.infer<typeof resilienceSchema>;
