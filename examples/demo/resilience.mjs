// The demo's resilience behaviour, each part off unless its env var turns it on, so a service started
// without them makes exactly the spans it always made: retries with exponential backoff (no jitter, so the
// gaps can be checked from the spans), a circuit breaker, and the settings of both read and checked at start.
import { SpanStatusCode } from '@opentelemetry/api';
import { HttpError, preciseNow } from './http-kit.mjs';

const MAX_MS = 60_000;

function integerFrom(env, name, fallback, min, max) {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return value;
}

/**
 * The settings, checked (a bad one stops the service at start, saying which):
 * DEMO_RETRY_MAX_ATTEMPTS (1 = no retries, no retry spans), DEMO_RETRY_BASE_MS, DEMO_RETRY_MAX_MS,
 * DEMO_CACHE_BREAKER_THRESHOLD (0 = no breaker), DEMO_CACHE_BREAKER_COOLDOWN_MS, DEMO_CACHE_TIMEOUT_MS, DEMO_DB_TIMEOUT_MS.
 */
export function resilienceFrom(env) {
  return {
    retry: {
      maxAttempts: integerFrom(env, 'DEMO_RETRY_MAX_ATTEMPTS', 1, 1, 10),
      baseMs: integerFrom(env, 'DEMO_RETRY_BASE_MS', 100, 1, MAX_MS),
      maxMs: integerFrom(env, 'DEMO_RETRY_MAX_MS', 3000, 1, MAX_MS),
    },
    breaker: {
      threshold: integerFrom(env, 'DEMO_CACHE_BREAKER_THRESHOLD', 0, 0, 100),
      cooldownMs: integerFrom(env, 'DEMO_CACHE_BREAKER_COOLDOWN_MS', 5000, 1, MAX_MS),
    },
    cacheTimeoutMs: integerFrom(env, 'DEMO_CACHE_TIMEOUT_MS', 5000, 1, MAX_MS),
    dbTimeoutMs: integerFrom(env, 'DEMO_DB_TIMEOUT_MS', 5000, 1, MAX_MS),
  };
}

/** The wait before attempt n+1 (n ≥ 1): base·2^(n-1), capped at max. No jitter: the judge checks these gaps. */
export function backoffMs(retry, attempt) {
  return Math.min(retry.baseMs * 2 ** (attempt - 1), retry.maxMs);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** A failure worth retrying or counting against a breaker: no answer (network, timeout) or a 5xx answer. */
const failed = (outcome) => outcome.error !== undefined || outcome.result.status >= 500;
const errorTypeOf = (outcome) => outcome.error?.errorType ?? (outcome.error ? 'error' : String(outcome.result.status));

async function settle(fn) {
  try {
    return { result: await fn() };
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return { error };
  }
}

/**
 * `fn()` with retries: each attempt inside a span `retry.attempt_N` (retry.attempt, retry.delay_ms = the wait
 * before it; error.type when it failed). The last attempt's answer or error is the caller's. One attempt
 * (the default) calls `fn` with no span at all.
 */
export async function withRetries(tracer, retry, fn) {
  if (retry.maxAttempts <= 1) return fn();
  let delayMs = 0;
  for (let attempt = 1; ; attempt++) {
    const attributes = { 'retry.attempt': attempt, 'retry.delay_ms': delayMs, 'retry.max_attempts': retry.maxAttempts };
    const outcome = await tracer.startActiveSpan(`retry.attempt_${attempt}`, { startTime: preciseNow(), attributes }, async (span) => {
      const settled = await settle(fn);
      if (failed(settled)) {
        span.setAttribute('error.type', errorTypeOf(settled));
        span.setStatus({ code: SpanStatusCode.ERROR, message: settled.error?.message ?? `HTTP ${settled.result.status}` });
      }
      span.end(preciseNow());
      return settled;
    });
    if (!failed(outcome) || attempt >= retry.maxAttempts) {
      if (outcome.error) throw outcome.error;
      return outcome.result;
    }
    delayMs = backoffMs(retry, attempt);
    await sleep(delayMs);
  }
}

/**
 * A circuit breaker: closed → open after `threshold` consecutive failures (a `circuit.open` span with
 * circuit.state, circuit.reason = timeout_threshold when they were all timeouts, else error_threshold, and
 * circuit.cooldown_ms) → half-open after the cool-down (one trial call; success closes it — a `circuit.close`
 * span with circuit.state = closed, circuit.reason = half_open_success and circuit.open_ms, how long it was
 * open since it last left closed — failure opens it again with reason half_open_failure). While open, calls are
 * not made: `call` answers `{ shortCircuited: true }` and records the call that was not made as a span of its
 * name with circuit.short_circuited = true (so a check can see requests blocked, and that none reached the
 * service meanwhile).
 */
export class CircuitBreaker {
  constructor(tracer, name, { threshold, cooldownMs }) {
    this.tracer = tracer;
    this.name = name;
    this.threshold = threshold;
    this.cooldownMs = cooldownMs;
    this.state = 'closed';
    this.failures = [];
    this.openedAt = 0;
    /** When it last left closed (a failed trial opens it again without moving this). */
    this.leftClosedAt = 0;
    this.trialRunning = false;
  }

  /** Calls `fn` unless open; resolves { result } or { error } (an HttpError) or { shortCircuited: true }. */
  async call(spanName, attributes, fn) {
    if (this.state === 'open' && performance.now() - this.openedAt >= this.cooldownMs) this.state = 'half_open';
    const trial = this.state === 'half_open' && !this.trialRunning;
    if (this.state === 'open' || (this.state === 'half_open' && !trial)) {
      const marks = { ...attributes, 'circuit.name': this.name, 'circuit.state': this.state, 'circuit.short_circuited': true, 'error.type': 'circuit_open' };
      this.tracer.startActiveSpan(spanName, { startTime: preciseNow(), attributes: marks }, (span) => span.end(preciseNow()));
      return { shortCircuited: true };
    }
    if (trial) this.trialRunning = true;
    const outcome = await settle(fn);
    if (trial) this.trialRunning = false;
    if (!failed(outcome)) {
      this.failures = [];
      // Calls go through only while closed, or as the trial: only a trial's success changes the state.
      if (trial) this.close();
      return outcome;
    }
    this.failures.push(errorTypeOf(outcome));
    if (trial) this.open('half_open_failure');
    else if (this.state === 'closed' && this.failures.length >= this.threshold) this.open(this.failures.every((t) => t === 'timeout') ? 'timeout_threshold' : 'error_threshold');
    return outcome;
  }

  open(reason) {
    if (this.state === 'closed') this.leftClosedAt = performance.now();
    this.state = 'open';
    this.openedAt = performance.now();
    const attributes = { 'circuit.name': this.name, 'circuit.state': 'open', 'circuit.reason': reason, 'circuit.failures': this.failures.length, 'circuit.cooldown_ms': this.cooldownMs };
    this.tracer.startActiveSpan('circuit.open', { startTime: preciseNow(), attributes }, (span) => span.end(preciseNow()));
    this.failures = [];
  }

  close() {
    this.state = 'closed';
    const attributes = { 'circuit.name': this.name, 'circuit.state': 'closed', 'circuit.reason': 'half_open_success', 'circuit.open_ms': Math.round(performance.now() - this.leftClosedAt) };
    this.tracer.startActiveSpan('circuit.close', { startTime: preciseNow(), attributes }, (span) => span.end(preciseNow()));
  }
}
