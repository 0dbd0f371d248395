// A test file's `[self_healing]` read once into what the healing layer acts on: whether retries are on,
// their bounds and backoff, which classes they cover, the circuit breaker and the user's classifiers.
// `clnrm run --retries N` turns retries on for every file (N per execution) with the same defaults.
import type { SelfHealingSection } from '../spec/schema/v2';
import { compileClnrmRegex } from '../spec/regex';
import { RETRYABLE_BY_DEFAULT, isFailureClass, type FailureClass } from './classes';
import { DEFAULT_ADAPTIVE, type AdaptiveSettings } from './adaptive';
import type { ClassifierPattern, Indicator, ScalarValue, StatsMetric } from './patterns';

export interface Backoff {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly multiplier: number;
  /** Share of each delay drawn at random (0.1 = ±10 %). */
  readonly jitter: number;
}

export interface CircuitBreakerSettings {
  readonly enabled: boolean;
  /** Consecutive failed attempts that open the circuit. */
  readonly failureThreshold: number;
  /** How long it stays open before trying again (half-open). */
  readonly timeoutMs: number;
  /** Attempts allowed while half-open; one that passes closes the circuit. */
  readonly halfOpenAttempts: number;
}

export interface HealingSettings {
  /** Retries per execution (0: no retries). */
  readonly maxRetries: number;
  /** Retries over all executions of one test. */
  readonly maxTotalRetries: number;
  readonly backoff: Backoff;
  readonly retryOn: ReadonlySet<FailureClass>;
  readonly neverRetry: ReadonlySet<FailureClass>;
  readonly breaker: CircuitBreakerSettings;
  readonly patterns: readonly ClassifierPattern[];
  /** `[[self_healing.retry.strategy]] type = "adaptive"`: the first delay learned per class (knowledge store). */
  readonly adaptive?: AdaptiveSettings;
}

export const DEFAULT_BACKOFF: Backoff = { baseDelayMs: 100, maxDelayMs: 10_000, multiplier: 2, jitter: 0.1 };
const DEFAULT_MAX_RETRIES = 3;
const DEFAULT_MAX_TOTAL_RETRIES = 5;
const DEFAULT_BREAKER: CircuitBreakerSettings = { enabled: true, failureThreshold: 5, timeoutMs: 60_000, halfOpenAttempts: 3 };

/** Whether the file turns retries on: `enabled` (not `mode = "disabled"`) and `auto_retry` or `[self_healing.retry] enabled`. */
export function retriesWanted(section: SelfHealingSection | undefined): boolean {
  if (!section || section.enabled === false || section.mode?.toLowerCase() === 'disabled') return false;
  return section.auto_retry === true || section.retry?.enabled === true;
}

function indicatorOf(raw: NonNullable<NonNullable<SelfHealingSection['patterns']>['classifier']>[number]['indicators'][number]): Indicator {
  const type = raw.type.toLowerCase();
  const num = (v: ScalarValue | undefined): number | undefined => (v === undefined ? undefined : Number(v));
  switch (type) {
    case 'span_status':
      return { type, value: String(raw.value).toLowerCase() as 'ok' | 'error' | 'unset' };
    case 'span_name':
      return { type, value: String(raw.value) };
    case 'span_attr': {
      const compiled = raw.value_regex !== undefined ? compileClnrmRegex(raw.value_regex) : undefined;
      return { type, key: raw.key!, ...(raw.value !== undefined ? { value: raw.value } : {}), ...(compiled?.ok ? { valueRegex: compiled.regex } : {}), ...(raw.exists !== undefined ? { exists: raw.exists } : {}) };
    }
    case 'container_stats':
      return { type, metric: raw.metric!.toLowerCase() as StatsMetric, threshold: raw.threshold! };
    case 'container_exit_code':
      return { type, ...(raw.value !== undefined ? { value: num(raw.value) } : {}), ...(raw.value_not !== undefined ? { valueNot: num(raw.value_not) } : {}) };
    case 'historical_failure_rate':
      return { type, min: raw.min ?? 0, max: raw.max ?? 1 };
    case 'hash_mismatch':
      return { type, iterationsThreshold: raw.iterations_threshold ?? 2 };
    default:
      return { type: 'failure_not_reproducible', value: raw.value !== false };
  }
}

/** The file's classifiers, in order. */
export function patternsOf(section: SelfHealingSection | undefined): ClassifierPattern[] {
  return (section?.patterns?.classifier ?? []).flatMap((c, i) =>
    isFailureClass(c.pattern) ? [{ index: i + 1, class: c.pattern, confidence: c.confidence ?? 0.9, indicators: c.indicators.map(indicatorOf), ...(c.max_retries !== undefined ? { maxRetries: c.max_retries } : {}) }] : [],
  );
}

/**
 * What the healing layer does for one file. `cliRetries` (`--retries N`) turns retries on at N per
 * execution whatever the file says (unless its mode is "disabled"); otherwise the file decides.
 */
export function healingSettings(section: SelfHealingSection | undefined, cliRetries?: number): HealingSettings {
  const disabled = section?.enabled === false || section?.mode?.toLowerCase() === 'disabled';
  const on = !disabled && (cliRetries !== undefined || retriesWanted(section));
  const exponential = section?.retry?.strategy?.find((s) => s.type.toLowerCase() === 'exponential_backoff');
  const adaptive = section?.retry?.strategy?.find((s) => s.type.toLowerCase() === 'adaptive');
  const conditions = section?.retry?.conditions;
  const cb = section?.retry?.circuit_breaker;
  const classes = (names: readonly string[] | undefined, fallback: readonly FailureClass[]): ReadonlySet<FailureClass> => new Set(names ? names.filter(isFailureClass) : fallback);
  return {
    maxRetries: on ? (cliRetries ?? section?.max_retries ?? DEFAULT_MAX_RETRIES) : 0,
    maxTotalRetries: section?.retry?.max_total_retries ?? Math.max(DEFAULT_MAX_TOTAL_RETRIES, cliRetries ?? 0),
    backoff: {
      baseDelayMs: exponential?.base_delay_ms ?? DEFAULT_BACKOFF.baseDelayMs,
      maxDelayMs: exponential?.max_delay_ms ?? DEFAULT_BACKOFF.maxDelayMs,
      multiplier: exponential?.multiplier ?? DEFAULT_BACKOFF.multiplier,
      jitter: exponential?.jitter ?? DEFAULT_BACKOFF.jitter,
    },
    retryOn: classes(conditions?.retry_on_patterns, RETRYABLE_BY_DEFAULT),
    neverRetry: classes(conditions?.never_retry_patterns, []),
    breaker: {
      enabled: cb?.enabled ?? DEFAULT_BREAKER.enabled,
      failureThreshold: cb?.failure_threshold ?? DEFAULT_BREAKER.failureThreshold,
      timeoutMs: cb?.timeout_s !== undefined ? cb.timeout_s * 1000 : DEFAULT_BREAKER.timeoutMs,
      halfOpenAttempts: cb?.half_open_attempts ?? DEFAULT_BREAKER.halfOpenAttempts,
    },
    patterns: patternsOf(section),
    ...(adaptive
      ? { adaptive: { minDelayMs: adaptive.min_delay_ms ?? DEFAULT_ADAPTIVE.minDelayMs, maxDelayMs: adaptive.max_delay_ms ?? DEFAULT_ADAPTIVE.maxDelayMs, learningRate: adaptive.learning_rate ?? DEFAULT_ADAPTIVE.learningRate } }
      : {}),
  };
}

/** Whether a failure of this class may be retried under these settings (`never_retry_patterns` wins). */
export function isRetryable(settings: HealingSettings, cls: FailureClass, pattern?: ClassifierPattern): boolean {
  if (settings.maxRetries === 0 || settings.neverRetry.has(cls)) return false;
  if (pattern?.maxRetries === 0) return false;
  return settings.retryOn.has(cls);
}
