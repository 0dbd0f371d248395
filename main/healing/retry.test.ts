import { describe, expect, it } from 'vitest';
import { healingSettings, type Classification, type FailureClass } from '../../shared/healing';
import { mulberry32 } from '../../shared/random';
import type { ScenarioExecution } from '../runner/types';
import { backoffDelay, CircuitBreaker, runWithRetries, type RetryPlan } from './retry';

let next = 0;
function execution(verdict: ScenarioExecution['verdict']): ScenarioExecution {
  return { runId: `e${++next}`, scenario: 's', iteration: 1, verdict, startedAt: '', durationMs: 1, steps: [], expectations: [], problems: [], containers: [], spanCount: 0, traceHash: '', spanNames: {} };
}
const as = (cls: FailureClass): Classification => ({ class: cls, confidence: 0.9, evidence: [{ kind: 'run', detail: cls }] });

function plan(verdicts: ScenarioExecution['verdict'][], cls: FailureClass, settings = healingSettings(undefined, 3), now = () => 0): RetryPlan & { runs: number; slept: number[] } {
  const queue = [...verdicts];
  const p = {
    runs: 0,
    slept: [] as number[],
    settings,
    breaker: new CircuitBreaker(settings.breaker, now),
    budget: { left: settings.maxTotalRetries },
    runOnce: async () => {
      p.runs++;
      return execution(queue.shift() ?? 'failed');
    },
    classify: async (_e: ScenarioExecution, _earlier: readonly string[], notReproduced: boolean) => as(notReproduced && cls === 'assertion_failure' ? 'flaky_test' : cls),
  };
  return p;
}
const deps = (p: { slept: number[] }) => ({ random: mulberry32(7), sleep: async (ms: number) => void p.slept.push(ms), signal: new AbortController().signal, note: () => undefined });

describe('backoffDelay', () => {
  it('grows by the multiplier, is capped, and jitters within ± the share (seeded)', () => {
    const b = { baseDelayMs: 100, maxDelayMs: 1000, multiplier: 2, jitter: 0 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, b, () => 0.5))).toEqual([100, 200, 400, 800, 1000]);
    const random = mulberry32(42);
    const jittered = Array.from({ length: 200 }, () => backoffDelay(3, { ...b, jitter: 0.1 }, random));
    expect(Math.min(...jittered)).toBeGreaterThanOrEqual(360);
    expect(Math.max(...jittered)).toBeLessThanOrEqual(440);
    expect(new Set(jittered).size).toBeGreaterThan(20);
  });
});

describe('CircuitBreaker', () => {
  it('opens after the threshold, half-opens after the timeout, closes on a pass', () => {
    let t = 0;
    const b = new CircuitBreaker({ enabled: true, failureThreshold: 2, timeoutMs: 1000, halfOpenAttempts: 1 }, () => t);
    b.record(false);
    expect(b.allow()).toBe(true);
    b.record(false);
    expect(b.current).toBe('open');
    expect(b.allow()).toBe(false);
    t = 1000;
    expect(b.allow()).toBe(true);
    expect(b.current).toBe('half-open');
    expect(b.allow()).toBe(false);
    b.record(true);
    expect(b.current).toBe('closed');
  });
});

describe('runWithRetries', () => {
  it('retries a retryable class until it passes and reports the attempts', async () => {
    const p = plan(['failed', 'error', 'passed'], 'transient_network_error');
    const result = await runWithRetries(p, deps(p));
    expect(result.verdict).toBe('passed');
    expect(result.classification).toBeUndefined();
    expect(result.healing).toMatchObject({ healed: true, attempts: [{ verdict: 'failed', classification: { class: 'transient_network_error' } }, { verdict: 'error' }] });
    expect(p.slept).toEqual(result.healing!.attempts.map((a) => a.delayMs));
    expect(p.runs).toBe(3);
  });

  it('runs the retry of an OOM kill with what adjust gives, growing from the last adjustment, and records it', async () => {
    const settings = { ...healingSettings(undefined, 3), retryOn: new Set<FailureClass>(['resource_exhaustion']) };
    const p = plan(['failed', 'failed', 'passed'], 'resource_exhaustion', settings);
    const ran: (number | undefined)[] = [];
    const seen: (number | undefined)[] = [];
    const adjusted = {
      ...p,
      runOnce: async (adjust?: { memoryMb: Readonly<Record<string, number>> }) => {
        ran.push(adjust?.memoryMb.api);
        return p.runOnce();
      },
      adjust: (_e: ScenarioExecution, _c: Classification, previous: { memoryMb: Readonly<Record<string, number>> } | undefined) => {
        seen.push(previous?.memoryMb.api);
        const api = (previous?.memoryMb.api ?? 24) * 2;
        return { memoryMb: { api }, note: `api → ${api} MB` };
      },
    };
    const result = await runWithRetries(adjusted, deps(p));
    expect(result.verdict).toBe('passed');
    expect(ran).toEqual([undefined, 48, 96]);
    expect(seen).toEqual([undefined, 48]);
    expect(result.healing!.attempts.map((a) => a.retriedWith)).toEqual(['api → 48 MB', 'api → 96 MB']);
  });

  it('adaptive: the first delay is the learned one for the class, later ones grow from it', async () => {
    const settings = { ...healingSettings(undefined, 3), backoff: { baseDelayMs: 100, maxDelayMs: 10_000, multiplier: 2, jitter: 0 }, adaptive: { minDelayMs: 50, maxDelayMs: 30_000, learningRate: 0.1 } };
    const p = { ...plan(['failed', 'failed', 'passed'], 'transient_network_error', settings), learnedDelay: (cls: FailureClass) => (cls === 'transient_network_error' ? 700 : undefined) };
    await runWithRetries(p, deps(p));
    expect(p.slept).toEqual([700, 1400]);
    // Without the strategy a learned delay is not used.
    const plain = { ...plan(['failed', 'passed'], 'transient_network_error', { ...settings, adaptive: undefined }), learnedDelay: () => 700 };
    await runWithRetries(plain, deps(plain));
    expect(plain.slept).toEqual([100]);
  });

  it('does not retry a class that is not retryable, and says why', async () => {
    const p = plan(['failed', 'passed'], 'assertion_failure');
    const result = await runWithRetries(p, deps(p));
    expect(p.runs).toBe(1);
    expect(result).toMatchObject({ verdict: 'failed', classification: { class: 'assertion_failure' }, healing: { attempts: [], healed: false, stoppedBecause: 'assertion_failure is not retried' } });
  });

  it('without retries turned on, only classifies', async () => {
    const p = plan(['failed'], 'transient_network_error', healingSettings(undefined));
    const result = await runWithRetries(p, deps(p));
    expect(result.healing).toBeUndefined();
    expect(result.classification?.class).toBe('transient_network_error');
  });

  it('retry_on_patterns lets a flaky class retry; a pass relabels an assertion failure as flaky', async () => {
    const p = plan(['failed', 'passed'], 'assertion_failure', healingSettings({ auto_retry: true, retry: { conditions: { retry_on_patterns: ['assertion_failure'] } } }));
    const result = await runWithRetries(p, deps(p));
    expect(result.healing).toMatchObject({ healed: true, attempts: [{ classification: { class: 'flaky_test' } }] });
  });

  it('stops at max_retries, at max_total_retries over a test, and when the breaker opens', async () => {
    const p = plan([], 'timing_sensitivity', healingSettings(undefined, 2));
    expect((await runWithRetries(p, deps(p))).healing).toMatchObject({ healed: false, stoppedBecause: '2 retries spent' });
    expect(p.runs).toBe(3);

    const total = plan([], 'timing_sensitivity', healingSettings({ auto_retry: true, max_retries: 5, retry: { max_total_retries: 1 } }));
    expect((await runWithRetries(total, deps(total))).healing?.stoppedBecause).toBe("the test's max_total_retries (1) is spent");

    const open = plan([], 'timing_sensitivity', healingSettings({ auto_retry: true, max_retries: 9, retry: { max_total_retries: 9, circuit_breaker: { failure_threshold: 3 } } }));
    expect((await runWithRetries(open, deps(open))).healing?.stoppedBecause).toBe('the circuit breaker is open after 3 consecutive failed attempts');
    expect(open.runs).toBe(3);
  });
});
