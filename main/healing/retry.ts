// Retries of failed executions: only a class the settings call retryable, exponential backoff with
// jitter, a bound per execution and per test (`max_total_retries`), and a circuit breaker that stops
// retrying after `failure_threshold` consecutive failed attempts until `timeout_s` has passed. Each
// retry is a fresh execution (new containers, new id); the attempts before the last are kept in its
// `healing` record. Clock, sleep and randomness are injected so tests are exact.
import { isRetryable, type Backoff, type CircuitBreakerSettings, type Classification, type HealingSettings, type MemoryAdjustment, type RetryAttempt } from '../../shared/healing';
import type { ScenarioExecution } from '../runner/types';

/** Delay before retry `attempt` (1-based): base × multiplier^(attempt-1), capped, then ± jitter. */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number): number {
  const raw = Math.min(backoff.maxDelayMs, backoff.baseDelayMs * backoff.multiplier ** (attempt - 1));
  const spread = raw * backoff.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(Math.min(backoff.maxDelayMs, raw + spread)));
}

type BreakerState = 'closed' | 'open' | 'half-open';

/** Closed → open after `failureThreshold` consecutive failures → half-open after `timeoutMs` → closed on a pass. */
export class CircuitBreaker {
  private state: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private halfOpenLeft = 0;

  constructor(
    private readonly settings: CircuitBreakerSettings,
    private readonly now: () => number,
  ) {}

  /** Whether one more attempt may run now. */
  allow(): boolean {
    if (!this.settings.enabled || this.state === 'closed') return true;
    if (this.state === 'open') {
      if (this.now() - this.openedAt < this.settings.timeoutMs) return false;
      this.state = 'half-open';
      this.halfOpenLeft = this.settings.halfOpenAttempts;
    }
    if (this.halfOpenLeft <= 0) return false;
    this.halfOpenLeft--;
    return true;
  }

  record(passed: boolean): void {
    if (passed) {
      this.state = 'closed';
      this.failures = 0;
      return;
    }
    this.failures++;
    if (this.state === 'half-open' ? this.halfOpenLeft <= 0 : this.failures >= this.settings.failureThreshold) {
      this.state = 'open';
      this.openedAt = this.now();
    }
  }

  get current(): BreakerState {
    return this.state;
  }
}

export interface RetryDeps {
  readonly random: () => number;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly signal: AbortSignal;
  /** Said before each retry (progress). */
  readonly note: (message: string) => void;
}

export interface RetryPlan {
  readonly settings: HealingSettings;
  readonly breaker: CircuitBreaker;
  /** Retries left for the whole test (`max_total_retries`), shared by its executions. */
  readonly budget: { left: number };
  /** Runs one attempt; a retry after an OOM kill passes the memory it runs with. */
  readonly runOnce: (adjust?: MemoryAdjustment) => Promise<ScenarioExecution>;
  /** What the next attempt changes after this failure (more memory after an OOM kill), if anything. */
  readonly adjust?: (execution: ScenarioExecution, classification: Classification, previous: MemoryAdjustment | undefined) => MemoryAdjustment | undefined;
  /** `earlier`: ids of this execution's other attempts (not history); `notReproduced`: a later attempt passed. */
  readonly classify: (execution: ScenarioExecution, earlier: readonly string[], notReproduced: boolean) => Promise<Classification>;
  /** The `adaptive` strategy's learned first delay for a class (knowledge store), when it has one. */
  readonly learnedDelay?: (cls: Classification['class']) => number | undefined;
}

/** The backoff for this class: the learned first delay in place of `base_delay_ms` under `adaptive`. */
function backoffFor(plan: RetryPlan, c: Classification): Backoff {
  const learned = plan.settings.adaptive ? plan.learnedDelay?.(c.class) : undefined;
  return learned === undefined ? plan.settings.backoff : { ...plan.settings.backoff, baseDelayMs: learned, maxDelayMs: plan.settings.adaptive!.maxDelayMs };
}

const failedVerdict = (e: ScenarioExecution): e is ScenarioExecution & { verdict: 'failed' | 'error' } => e.verdict === 'failed' || e.verdict === 'error';
const cancelled = (e: ScenarioExecution): boolean => e.problems.some((p) => p.code === 'runner.cancelled' || p.code === 'runner.timeout');

/** Why no further retry runs, or undefined when one may. */
function stopReason(plan: RetryPlan, c: Classification, retriesSoFar: number): string | undefined {
  const { settings } = plan;
  const pattern = c.pattern !== undefined ? settings.patterns.find((p) => p.index === c.pattern) : undefined;
  if (!isRetryable(settings, c.class, pattern)) return `${c.class} is not retried${settings.neverRetry.has(c.class) ? ' (never_retry_patterns)' : ''}`;
  const perExecution = Math.min(settings.maxRetries, pattern?.maxRetries ?? Number.POSITIVE_INFINITY);
  if (retriesSoFar >= perExecution) return `${perExecution} retr${perExecution === 1 ? 'y' : 'ies'} spent`;
  if (plan.budget.left <= 0) return `the test's max_total_retries (${settings.maxTotalRetries}) is spent`;
  if (!plan.breaker.allow()) return `the circuit breaker is open after ${settings.breaker.failureThreshold} consecutive failed attempts`;
  return undefined;
}

/**
 * Runs an execution, classifies it when it fails and retries it while its class, the bounds and the
 * breaker allow. Returns the last attempt with its classification (if it failed) and its `healing`.
 * When a retry passes, the failed attempts are classified again knowing that the failure did not
 * reproduce: those with no more specific cause than their assertion become flaky_test.
 */
export async function runWithRetries(plan: RetryPlan, deps: RetryDeps): Promise<ScenarioExecution> {
  const failed: ScenarioExecution[] = [];
  const delays: number[] = [];
  const changes: (string | undefined)[] = [];
  let adjustment: MemoryAdjustment | undefined;
  let execution = await plan.runOnce();
  let stoppedBecause: string | undefined;
  while (failedVerdict(execution) && !cancelled(execution) && !deps.signal.aborted) {
    const classification = await plan.classify(execution, failed.map((a) => a.runId), false);
    execution = { ...execution, classification };
    if (plan.settings.maxRetries === 0) return execution;
    plan.breaker.record(false);
    stoppedBecause = stopReason(plan, classification, failed.length);
    if (stoppedBecause !== undefined) break;
    const delayMs = backoffDelay(failed.length + 1, backoffFor(plan, classification), deps.random);
    adjustment = plan.adjust?.(execution, classification, adjustment) ?? adjustment;
    failed.push(execution);
    delays.push(delayMs);
    changes.push(adjustment?.note);
    plan.budget.left--;
    deps.note(`${execution.scenario}: attempt ${failed.length} ${execution.verdict} as ${classification.class}; retry ${failed.length} in ${delayMs} ms${adjustment ? ` with ${adjustment.note}` : ''}`);
    await deps.sleep(delayMs, deps.signal);
    execution = await plan.runOnce(adjustment);
  }
  const healed = execution.verdict === 'passed' && failed.length > 0;
  if (healed) plan.breaker.record(true);
  const attempts: RetryAttempt[] = [];
  for (const [i, a] of failed.entries()) {
    const classification = healed ? await plan.classify(a, [...failed.filter((x) => x !== a).map((x) => x.runId), execution.runId], true) : a.classification!;
    const retriedWith = changes[i];
    attempts.push({ executionId: a.runId, verdict: a.verdict === 'error' ? 'error' : 'failed', classification, delayMs: delays[i]!, ...(retriedWith !== undefined ? { retriedWith } : {}) });
  }
  if (attempts.length === 0 && stoppedBecause === undefined) return execution;
  return { ...execution, healing: { attempts, healed, ...(stoppedBecause !== undefined ? { stoppedBecause } : {}) } };
}
