// Running a queue of tests over the engine pool: each engine gets its own runner environment (its Docker,
// where its published ports are, where its containers send spans) and `jobs` workers that take the next test
// it holds the images for. An engine that goes away takes no more tests (the rest go to the others); its
// running tests end as errors carrying `runner.engine-lost`, within a bound even if its calls never return.
// Its loss does not abort them: their Docker calls fail on their own, and self-healing classifies a failed
// execution only when the run was not cancelled (a lost engine is an infrastructure_failure, not a cancel).
import type { Problem } from '../../shared/errors';
import type { TestFile } from '../../shared/spec';
import type { EnginePool, PoolEngine } from './engine-pool';
import type { TraceStore } from '../store';
import { chooseReceiverBinding, type ReceiverBinding } from './receiver-host';
import { relayMode, spanRoute, wantsRelay, type SpanRoute } from './relay';
import type { Emit } from './run-events';
import { abortProblem, type RunnerEnvironment } from './scenario';
import { dockerServiceSets } from './service-port';
import type { QueueOptions, QueuedTest } from './suite-run';
import type { TestResult } from './types';

/** How long a test on a lost engine may still take to come back (its cleanup calls fail fast when the socket is gone). */
const LOST_GRACE_MS = 15_000;
/** How often a pool's engines are pinged while tests run. */
export const WATCH_INTERVAL_MS = 1000;

/** The host of a remote engine (`tcp://10.0.0.5:2375`, `ssh://me@box`): where its published ports are. */
function remoteHost(address: string): string | undefined {
  try {
    return new URL(address).hostname || undefined;
  } catch {
    return undefined;
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * One receiver for every engine. Engines whose containers send through a relay need nothing of it; the
 * others must reach it on one address, else it listens on every address (said).
 */
export async function poolReceiverBinding(pool: EnginePool, env: Env): Promise<ReceiverBinding> {
  const mode = relayMode(env);
  const direct = pool.engines.filter((e) => !wantsRelay(mode, e.endpoint));
  const each = await Promise.all((direct.length > 0 ? direct : pool.engines.slice(0, 1)).map((e) => chooseReceiverBinding(e.docker, e.endpoint, env)));
  if (each.every((b) => b.host === each[0]!.host)) return each[0]!;
  return { host: '0.0.0.0', reason: `the pool's engines reach this machine on different addresses (${each.map((b) => b.host).join(', ')})` };
}

/** How each engine's spans come home: straight to `otlpEndpoint`, or through a relay per execution (relay.ts). */
export function engineRoutes(pool: EnginePool, store: TraceStore, env: Env, otlpEndpoint: string): Map<PoolEngine, SpanRoute> {
  return new Map(pool.engines.map((e) => [e, spanRoute(e.docker, e.endpoint, store, env, { otlpEndpoint, services: dockerServiceSets(e.docker) })]));
}

/** The routes for the run's start line (per engine when there are several). */
export function routesText(pool: EnginePool, routes: Map<PoolEngine, SpanRoute>): string {
  if (!pool.several) return routes.get(pool.engines[0]!)!.description;
  return pool.engines.map((e) => `${e.address}: ${routes.get(e)!.description}`).join('; ');
}

/**
 * The environment of one engine's tests: its Docker, where its published ports are, and its span route
 * (where its containers send spans, and the service sets that put a relay in front for a remote engine).
 */
export function engineEnvironment(base: RunnerEnvironment, engine: PoolEngine, pool: EnginePool, route: SpanRoute): RunnerEnvironment {
  const host = engine.endpoint.local ? undefined : remoteHost(engine.address);
  const { hostAddress: _ignored, ...rest } = base;
  return {
    ...rest,
    docker: engine.docker,
    services: route.services,
    otlpEndpoint: route.otlpEndpoint,
    ...(host !== undefined ? { hostAddress: host } : {}),
    // Several engines: results name theirs, and a phase that throws asks whether the engine is still there.
    ...(pool.several ? { engine: engine.address, checkEngine: () => engine.check() } : {}),
  };
}

/** Says once, when an engine is lost, what happens to its tests. */
export function sayWhenLost(pool: EnginePool, emit: Emit): void {
  for (const engine of pool.engines) {
    engine.lost.addEventListener(
      'abort',
      () => {
        const rest = pool.live().map((e) => e.address);
        const next = rest.length > 0 ? `tests not yet started go to ${rest.join(', ')}` : 'no engine is left: tests not yet started will not run';
        emit({ type: 'warning', message: `${engine.lostProblem?.message ?? `engine ${engine.address} went away`} ${next}.` });
      },
      { once: true },
    );
  }
}

/** Waits for the test, but no longer than LOST_GRACE_MS after its engine is lost. */
async function boundedByEngine(engine: PoolEngine, running: Promise<TestResult>, next: QueuedTest): Promise<TestResult> {
  let timer: NodeJS.Timeout | undefined;
  let onLost: (() => void) | undefined;
  const gaveUp = new Promise<undefined>((resolve) => {
    onLost = () => (timer = setTimeout(() => resolve(undefined), LOST_GRACE_MS));
    if (engine.lost.aborted) onLost();
    else engine.lost.addEventListener('abort', onLost, { once: true });
  });
  try {
    const result = await Promise.race([running, gaveUp]);
    if (result) return result;
    const gone = { code: 'runner.engine-lost' as const, message: `${next.test.name} did not come back within ${LOST_GRACE_MS / 1000} s after its engine ${engine.address} went away; its containers there are left to the reaper` };
    return { file: next.file, name: next.test.name, verdict: 'error', startedAt: new Date().toISOString(), durationMs: 0, executions: [], problems: [gone] };
  } finally {
    clearTimeout(timer);
    if (onLost) engine.lost.removeEventListener('abort', onLost);
  }
}

/** A test that did not pass on an engine that was lost meanwhile is an error that says so first. */
function blameLostEngine(result: TestResult, engine: PoolEngine): TestResult {
  const lost = engine.lostProblem;
  if (!lost || result.verdict === 'passed' || result.problems.some((p) => p.code === 'runner.engine-lost')) return result;
  return { ...result, verdict: 'error', problems: [lost, ...result.problems] };
}

function notRun(next: QueuedTest, q: QueueOptions, stoppedTaking: boolean, pool: EnginePool): TestResult {
  const lost = pool.engines.flatMap((e) => (e.lostProblem ? [e.address] : []));
  let problem: Problem;
  if (q.signal.aborted) problem = abortProblem(q.signal, 'not run: the run was cancelled');
  else if (stoppedTaking || lost.length === 0) problem = { code: 'runner.skipped', message: 'not run: --fail-fast after an earlier failure' };
  else problem = { code: 'runner.engine-lost', message: `not run: the engine(s) that could take it went away (${lost.join(', ')}) and no other engine of the pool holds its images` };
  const verdict = problem.code === 'runner.engine-lost' ? 'error' : 'skipped';
  return { file: next.file, name: next.test.name, verdict, startedAt: new Date().toISOString(), durationMs: 0, executions: [], problems: [problem] };
}

/** Tests `jobs` at a time on each engine; with `failFast`, none starts after one that did not pass. */
export async function runOnPool(pool: EnginePool, base: RunnerEnvironment, routes: Map<PoolEngine, SpanRoute>, tests: readonly QueuedTest[], q: QueueOptions, runOne: (env: RunnerEnvironment, next: QueuedTest) => Promise<TestResult>): Promise<TestResult[]> {
  const queue = [...tests];
  const byTest = new Map<TestFile, TestResult>();
  const may = await pool.placement(tests.map((t) => t.test));
  let stopTaking = false;
  const worker = async (engine: PoolEngine, env: RunnerEnvironment): Promise<void> => {
    for (;;) {
      if (stopTaking || q.signal.aborted || engine.lost.aborted) return;
      const i = queue.findIndex((t) => may(t.test, engine));
      if (i < 0) return;
      const next = queue.splice(i, 1)[0]!;
      const result = blameLostEngine(await boundedByEngine(engine, runOne(env, next), next), engine);
      byTest.set(next.test, pool.several ? { ...result, engine: engine.address } : result);
      if (q.failFast && result.verdict !== 'passed') stopTaking = true;
    }
  };
  const jobs = Math.max(1, Math.min(q.jobs, tests.length));
  const engines = pool.live().map((engine) => ({ engine, env: { ...engineEnvironment(base, engine, pool, routes.get(engine)!), signal: q.signal, ...(q.verifyCleanup ? { verifyCleanup: true } : {}) } }));
  // Workers start engine by engine in turn (each takes its first test at once), so the first tests spread over the pool.
  const workers = Array.from({ length: jobs }, () => engines.map(({ engine, env }) => worker(engine, env))).flat();
  await Promise.all(workers);
  return tests.map((next) => byTest.get(next.test) ?? notRun(next, q, stopTaking, pool));
}
