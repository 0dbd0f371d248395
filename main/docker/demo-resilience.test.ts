// The demo's resilience behaviour (examples/demo/resilience.mjs) with the real OpenTelemetry SDK and an
// in-memory exporter: retries with their backoff and spans, the circuit breaker's states and spans, and the
// settings' defaults (off: no extra spans) and checks. The demo is plain JS, so its exports are typed here.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Tracer } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';

interface Retry { maxAttempts: number; baseMs: number; maxMs: number }
interface Outcome { result?: { status: number }; error?: Error; shortCircuited?: true }
interface Resilience {
  resilienceFrom(env: Record<string, string>): { retry: Retry; breaker: { threshold: number; cooldownMs: number }; cacheTimeoutMs: number; dbTimeoutMs: number };
  backoffMs(retry: Retry, attempt: number): number;
  withRetries(tracer: Tracer, retry: Retry, fn: () => Promise<{ status: number }>): Promise<{ status: number }>;
  CircuitBreaker: new (tracer: Tracer, name: string, o: { threshold: number; cooldownMs: number }) => { state: string; call(name: string, attrs: Record<string, string>, fn: () => Promise<{ status: number }>): Promise<Outcome> };
}
interface HttpKit { HttpError: new (status: number, message: string) => Error & { errorType?: string } }

const demo = join(__dirname, '../../examples/demo');
const { resilienceFrom, backoffMs, withRetries, CircuitBreaker } = (await import(pathToFileURL(join(demo, 'resilience.mjs')).href)) as Resilience;
const { HttpError } = (await import(pathToFileURL(join(demo, 'http-kit.mjs')).href)) as HttpKit;

const exporter = new InMemorySpanExporter();
const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('test');
afterEach(() => exporter.reset());
const finished = () => exporter.getFinishedSpans().map((s) => [s.name, s.attributes] as const);

const failure = (errorType: string): Error => Object.assign(new HttpError(502, errorType), { errorType });

describe('demo resilience: settings', () => {
  it('defaults turn everything off, and a bad value names its setting', () => {
    expect(resilienceFrom({})).toEqual({ retry: { maxAttempts: 1, baseMs: 100, maxMs: 3000 }, breaker: { threshold: 0, cooldownMs: 5000 }, cacheTimeoutMs: 5000, dbTimeoutMs: 5000 });
    expect(() => resilienceFrom({ DEMO_RETRY_BASE_MS: '0' })).toThrow('DEMO_RETRY_BASE_MS must be an integer from 1 to 60000, got "0"');
    expect(() => resilienceFrom({ DEMO_CACHE_BREAKER_THRESHOLD: '1.5' })).toThrow(/DEMO_CACHE_BREAKER_THRESHOLD must be an integer/);
  });

  it('backoff doubles from base and stops at max (no jitter)', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffMs({ maxAttempts: 6, baseMs: 100, maxMs: 500 }, n))).toEqual([100, 200, 400, 500, 500]);
  });
});

describe('demo resilience: retries', () => {
  it('one attempt (the default) calls once and makes no span', async () => {
    await expect(withRetries(tracer, { maxAttempts: 1, baseMs: 1, maxMs: 10 }, () => Promise.reject(failure('connection_refused')))).rejects.toThrow('connection_refused');
    expect(finished()).toEqual([]);
  });

  it('retries failures with a span per attempt, the wait before it and the error, then gives up with the last error', async () => {
    let calls = 0;
    const fn = () => (++calls, Promise.reject(failure('connection_refused')));
    await expect(withRetries(tracer, { maxAttempts: 3, baseMs: 2, maxMs: 10 }, fn)).rejects.toThrow('connection_refused');
    expect(calls).toBe(3);
    expect(finished()).toEqual([1, 2, 3].map((n) => [`retry.attempt_${n}`, { 'retry.attempt': n, 'retry.delay_ms': [0, 2, 4][n - 1], 'retry.max_attempts': 3, 'error.type': 'connection_refused' }]));
  });

  it('stops at the first success; a 5xx answer is retried, a 404 is not', async () => {
    const answers = [500, 200];
    expect(await withRetries(tracer, { maxAttempts: 3, baseMs: 1, maxMs: 10 }, () => Promise.resolve({ status: answers.shift()! }))).toEqual({ status: 200 });
    expect(finished().map(([name, a]) => [name, a['error.type']])).toEqual([['retry.attempt_1', '500'], ['retry.attempt_2', undefined]]);
    exporter.reset();
    expect(await withRetries(tracer, { maxAttempts: 3, baseMs: 1, maxMs: 10 }, () => Promise.resolve({ status: 404 }))).toEqual({ status: 404 });
    expect(finished().map(([name]) => name)).toEqual(['retry.attempt_1']);
  });
});

describe('demo resilience: circuit breaker', () => {
  const timeout = () => Promise.reject(failure('timeout'));
  const ok = () => Promise.resolve({ status: 200 });

  it('opens after K consecutive timeouts with reason timeout_threshold, then short-circuits calls and marks them', async () => {
    const breaker = new CircuitBreaker(tracer, 'cache', { threshold: 3, cooldownMs: 60_000 });
    for (let i = 0; i < 3; i++) expect((await breaker.call('cache.get', {}, timeout)).error).toBeDefined();
    expect(breaker.state).toBe('open');
    let called = false;
    expect(await breaker.call('cache.get', { 'cache.key': 'item:1' }, () => ((called = true), ok()))).toEqual({ shortCircuited: true });
    expect(called).toBe(false);
    expect(finished()).toEqual([
      ['circuit.open', { 'circuit.name': 'cache', 'circuit.state': 'open', 'circuit.reason': 'timeout_threshold', 'circuit.failures': 3, 'circuit.cooldown_ms': 60_000 }],
      ['cache.get', { 'cache.key': 'item:1', 'circuit.name': 'cache', 'circuit.state': 'open', 'circuit.short_circuited': true, 'error.type': 'circuit_open' }],
    ]);
  });

  it('says error_threshold for mixed failures; a success in between resets the count', async () => {
    const breaker = new CircuitBreaker(tracer, 'cache', { threshold: 2, cooldownMs: 60_000 });
    await breaker.call('cache.get', {}, timeout);
    await breaker.call('cache.get', {}, ok);
    await breaker.call('cache.get', {}, timeout);
    expect(breaker.state).toBe('closed');
    await breaker.call('cache.get', {}, () => Promise.resolve({ status: 503 }));
    expect(finished()).toEqual([['circuit.open', expect.objectContaining({ 'circuit.reason': 'error_threshold', 'circuit.failures': 2 })]]);
  });

  it('after the cool-down one trial call goes through: success closes it, failure opens it again', async () => {
    const breaker = new CircuitBreaker(tracer, 'cache', { threshold: 1, cooldownMs: 1 });
    await breaker.call('cache.get', {}, timeout);
    const coolDown = () => new Promise((resolve) => setTimeout(resolve, 5));
    await coolDown();
    await breaker.call('cache.get', {}, timeout);
    expect(breaker.state).toBe('open');
    await coolDown();
    expect(await breaker.call('cache.get', {}, ok)).toEqual({ result: { status: 200 } });
    expect(breaker.state).toBe('closed');
    expect(finished().map(([name, a]) => [name, a['circuit.reason']])).toEqual([
      ['circuit.open', 'timeout_threshold'],
      ['circuit.open', 'half_open_failure'],
      ['circuit.close', 'half_open_success'],
    ]);
  });

  it('a successful trial closes it with a circuit.close span saying how long it was open since it left closed', async () => {
    const breaker = new CircuitBreaker(tracer, 'cache', { threshold: 1, cooldownMs: 20 });
    const leftClosed = performance.now();
    await breaker.call('cache.get', {}, timeout);
    const coolDown = () => new Promise((resolve) => setTimeout(resolve, 25));
    await coolDown();
    await breaker.call('cache.get', {}, timeout);
    await coolDown();
    await breaker.call('cache.get', {}, ok);
    const openFor = performance.now() - leftClosed;
    const [, , close] = finished();
    expect(close).toEqual(['circuit.close', { 'circuit.name': 'cache', 'circuit.state': 'closed', 'circuit.reason': 'half_open_success', 'circuit.open_ms': expect.any(Number) }]);
    // Both cool-downs (the failed trial did not restart the count) and no more than the time the calls took.
    const openMs = close![1]['circuit.open_ms'] as number;
    expect(openMs).toBeGreaterThanOrEqual(40);
    expect(openMs).toBeLessThanOrEqual(Math.ceil(openFor));
    // Closed again: calls go through with no breaker span, and nothing closes twice.
    exporter.reset();
    expect(await breaker.call('cache.get', {}, ok)).toEqual({ result: { status: 200 } });
    expect(finished()).toEqual([]);
  });
});
