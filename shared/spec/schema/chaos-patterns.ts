// `[chaos.patterns]`: the seed's resilience-pattern validations (clnrm's
// docs/architecture/hyper_advanced_framework.md). Each `[[chaos.patterns.validation]]` names a pattern; each
// of its `[[…test]]` injects one fault on a target while the scenario's steps run and checks the pattern's
// spans (shared/chaos/patterns-plan.ts plans them, patterns-judge.ts judges them; meanings in shared/chaos/README.md).
import { z } from 'zod';
import { anyMap, bool, oneOf, positiveInt, shape, str, strArray } from './common';

export const RESILIENCE_PATTERNS = ['circuit_breaker', 'retry_backoff', 'timeout'] as const;
export type ResiliencePattern = (typeof RESILIENCE_PATTERNS)[number];

export const BACKOFF_STRATEGIES = ['exponential', 'linear', 'constant'] as const;
export type BackoffStrategy = (typeof BACKOFF_STRATEGIES)[number];

export const backoffTimingSchema = z.object(
  {
    strategy: oneOf(BACKOFF_STRATEGIES, 'a backoff strategy'),
    base_ms: positiveInt('base_ms: the first wait in whole milliseconds, like 100'),
    max_ms: positiveInt('max_ms: the longest wait in whole milliseconds, like 3000').optional(),
  },
  shape('a table like { strategy = "exponential", base_ms = 100, max_ms = 3000 }'),
);

const attrValue = z.union([z.string(), z.number(), z.boolean()], shape('a string, number or boolean'));

export const patternTestSchema = z.object(
  {
    inject_fault: str('a fault like "network_timeout", "connection_refused", "network_latency" or any id of `clnrm chaos faults`').min(1),
    /** Ours (the seed names no target): which service the fault is injected on, like "service:cache". */
    target: str('a service like "service:cache" or "cache"').min(1).optional(),
    fault_config: anyMap('a table of the fault\'s parameters like { delay_ms = 10000 }').optional(),
    expect_span: str('a span name like "circuit.open"').min(1).optional(),
    expect_spans: strArray('an array of span names like ["retry.attempt_1", "retry.attempt_2"]').optional(),
    expect_attrs: z.record(z.string(), attrValue, shape('a table like { "circuit.state" = "open" }')).optional(),
    validate_requests_blocked: bool().optional(),
    validate_backoff_timing: backoffTimingSchema.optional(),
    expect_timeout: bool().optional(),
  },
  shape('a table [[chaos.patterns.validation.test]] like { inject_fault = "network_timeout", target = "service:cache", expect_span = "circuit.open" }'),
);

export const patternValidationSchema = z.object(
  {
    pattern: oneOf(RESILIENCE_PATTERNS, 'a resilience pattern'),
    /** Ours: the target of every test of this validation that names none. */
    target: str('a service like "service:cache" or "cache"').min(1).optional(),
    test: z.array(patternTestSchema, shape('an array of tables [[chaos.patterns.validation.test]]')).min(1, shape('at least one [[chaos.patterns.validation.test]]')),
  },
  shape('a table [[chaos.patterns.validation]] like { pattern = "circuit_breaker" }'),
);

export const chaosPatternsSchema = z.object(
  { validation: z.array(patternValidationSchema, shape('an array of tables [[chaos.patterns.validation]]')).optional() },
  shape('a table [chaos.patterns]'),
);

export type PatternTestTable = z.infer<typeof patternTestSchema>;
export type PatternValidationTable = z.infer<typeof patternValidationSchema>;
export type ChaosPatternsTable = z.infer<typeof chaosPatternsSchema>;
