// `clnrm run` as a library: load test files, connect to Docker (reaping crashed runs' leftovers first),
// one OTLP receiver and store for the whole run, tests in parallel (`jobs`), the runner's own trace,
// and the `[report]` files. Returns a summary; never throws for a failing test — only the caller's
// bugs escape. Docker unavailable is `environmentProblem` (the CLI's exit 2).
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { StudioError, toProblem, type Problem } from '../../shared/errors';
import type { PluginRegistry } from '../../shared/plugins';
import { RunIdSchema, type RunEvent, type VerdictValue } from '../../shared/run';
import { hostAccess, type TestFile } from '../../shared/spec';
import { newId, type DockerEndpoint } from '../docker';
import type { FaultsUndone } from '../docker/reaper';
import { classifyRun, RunHealing, type RunHealingOptions } from '../healing/run-healing';
import { createReceiver, type Receiver } from '../receiver';
import { loadTestFile, parseInThread } from '../spec';
import { openStore, type TraceStore } from '../store';
import { writeFileReports } from './reports';
import type { RunnerEnvironment } from './scenario';
import { recordQuietly, runEnvironment, runOutcome } from './history';
import { RunHooks } from './hooks';
import { eventEmitter, type Emit } from './run-events';
import { CLNRM_VERSION, SelfTracer, errorStatus, type OpenSpan } from './self-trace';
import { EnginePool, engineAddresses } from './engine-pool';
import { engineRoutes, poolReceiverBinding, routesText, runOnPool, sayWhenLost, WATCH_INTERVAL_MS } from './pool-run';
import { claimedFiles, planSuite, runSuite, type QueueOptions, type QueuedTest, type SuitePlan } from './suite-run';
import { writeSuiteReports } from './suite-report';
import type { SuiteVerdict } from './suite-verdict';
import { runTest } from './test-run';
import type { RunSummary, TestResult } from './types';

export interface TestSource {
  /** Path shown in reports (a file path, or a name like `<self-test>` for built-in tests). */
  readonly file: string;
  /** Text to parse instead of reading `file`. */
  readonly source?: string;
}

export interface RunTestsOptions {
  readonly sources: readonly TestSource[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Tests run at the same time. Default 1. */
  readonly jobs?: number;
  /** Start no new test after the first one that does not pass. */
  readonly failFast?: boolean;
  /** Use this store (else one is opened in `dataDir` and closed at the end). */
  readonly store?: TraceStore;
  readonly dataDir?: string;
  /** Use this engine (else the pool of `engines`, else `connectDocker(env)`). */
  readonly docker?: { docker: Docker; endpoint: DockerEndpoint };
  /** Spread the tests over these engines (addresses as DOCKER_HOST takes them; `jobs` per engine); else CLNRM_ENGINES' list. */
  readonly engines?: readonly string[];
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: RunEvent) => void;
  /** Run-wide plugins (the studio's v2 layers): initialised here, given every live hook, disposed at the end. */
  readonly plugins?: PluginRegistry;
  /** Evaluate expectations over the runner's own spans too (`clnrm self-test`). */
  readonly includeRunnerSpans?: boolean;
  /** Write the `[report]` files of each test file (default true). */
  readonly writeReports?: boolean;
  /** Where `[report]` paths resolve (else each test file's folder); they may not leave it. */
  readonly reportDir?: string;
  /** Sample container stats while steps run (always on for tests with `[performance]`). */
  readonly sampleStats?: boolean;
  /** Services to put behind a proxy, per execution (the chaos layer's seam; see interpose.ts). */
  readonly interpose?: RunnerEnvironment['interpose'];
  /** Overrides for the span quiet period (tests). */
  readonly quietMs?: number;
  /** The run's id (what every span of it carries as `clnrm.run_id`); default: a new one. The studio passes the id it showed. */
  readonly runId?: string;
  /** Who started the run, for its history record. Default `cli`. */
  readonly origin?: 'cli' | 'studio';
  readonly maxSpanWaitMs?: number;
  /** Self-healing: `retries` (`--retries N`) turns retries on for every file; tests seed the jitter. */
  readonly healing?: RunHealingOptions;
}

const run = promisify(execFile);

async function gitCommit(cwd: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['rev-parse', 'HEAD'], { cwd, timeout: 3000 });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

interface Loaded {
  readonly tests: { test: TestFile; file: string }[];
  readonly failed: TestResult[];
  /** Suite files, each with its scenario files loaded; those files are not also run on their own. */
  readonly suites: SuitePlan[];
}

async function loadAll(sources: readonly TestSource[], options: Pick<RunTestsOptions, 'env' | 'cwd'>, emit: Emit): Promise<Loaded> {
  const { env } = options;
  const parsed = await Promise.all(
    sources.map(async (source) => ({ source, result: source.source !== undefined ? await parseInThread(source.source, { file: source.file, env: { ...env } }) : await loadTestFile(source.file, { ...env }) })),
  );
  const warn = (message: string) => emit({ type: 'warning', message });
  const plans: SuitePlan[] = [];
  for (const { source, result } of parsed) if (result.suite) plans.push(await planSuite(result.suite, source.file, options.cwd, env, warn));
  for (const s of plans.flatMap((p) => p.scenarios)) sayHostAccess(s.file, s.tests.map((t) => t.test), env, emit);
  // A folder holding a suite holds its scenario files too: they run once, as the suite's.
  const claimed = claimedFiles(plans);
  const tests: { test: TestFile; file: string }[] = [];
  const failed: TestResult[] = [];
  for (const { source, result } of parsed) {
    if (claimed.has(resolve(options.cwd, source.file))) continue;
    for (const w of result.warnings) warn(`${source.file}:${w.line ?? 0}:${w.column ?? 0}: ${w.message}`);
    if (result.errors.length > 0) failed.push({ file: source.file, name: source.file, verdict: 'error', startedAt: new Date().toISOString(), durationMs: 0, executions: [], problems: result.errors });
    for (const test of result.tests) tests.push({ test, file: source.file });
    sayHostAccess(source.file, result.tests, env, emit);
  }
  return { tests, failed, suites: plans };
}

/** What a file takes from the host, said before anything runs (risky mounts are warnings too). */
function sayHostAccess(file: string, tests: readonly TestFile[], env: Readonly<Record<string, string | undefined>>, emit: Emit): void {
  for (const mount of tests[0] ? hostAccess(tests[0], env.HOME) : []) {
    emit({ type: 'log', source: file, message: `service ${mount.service} mounts host ${mount.hostPath} at ${mount.containerPath}${mount.readOnly ? ' (read-only)' : ''}` });
  }
}

function summarise(runId: string, startedMs: number, tests: TestResult[], environmentProblem?: Problem, suites: SuiteVerdict[] = []): RunSummary {
  // A quarantined test that did not pass is counted apart: it does not fail the run.
  const excused = (t: TestResult): boolean => t.quarantine?.state === 'quarantined' && t.verdict !== 'passed' && t.verdict !== 'skipped';
  const count = (v: TestResult['verdict']) => tests.filter((t) => t.verdict === v && !excused(t)).length;
  const quarantined = tests.filter(excused).length;
  return classifyRun({
    runId,
    startedAt: new Date(startedMs).toISOString(),
    durationMs: Date.now() - startedMs,
    passed: count('passed'),
    failed: count('failed'),
    errors: count('error'),
    skipped: count('skipped'),
    ...(quarantined > 0 ? { quarantined } : {}),
    tests,
    ...(suites.length > 0 ? { suites } : {}),
    ...(environmentProblem ? { environmentProblem } : {}),
  });
}

/** The run-wide plugins, initialised under a `clnrm.plugin.registry` span (as clnrm's runs have). */
async function runPlugins(options: RunTestsOptions, runSpan: OpenSpan, emit: Emit): Promise<RunHooks> {
  const registry = options.plugins;
  const span = runSpan.child('clnrm.plugin.registry', { 'plugin.count': registry?.size ?? 0, component: 'plugin_registry' });
  await registry?.init(
    (plugin) => ({ config: {}, log: (message) => emit({ type: 'log', source: plugin.name, message }) }),
    (problem) => emit({ type: 'warning', message: problem.message }),
  );
  span.end({}, { code: 'ok' });
  return new RunHooks(registry ? [registry] : []);
}

/** "; undid their faults: 1 unpaused, 2 iptables rules deleted" — or nothing when there were none. */
function faultsText(f: FaultsUndone | undefined): string {
  if (!f) return '';
  const parts = [[f.unpaused, 'unpaused'], [f.rulesDeleted, 'iptables rules deleted'], [f.limitsRestored, 'limits restored'], [f.reconnected, 'networks reconnected'], [f.workersKilled, 'workers killed']] as const;
  const said = parts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  return said.length > 0 ? `; undid their faults: ${said.join(', ')}` : '';
}

export async function runTests(options: RunTestsOptions): Promise<RunSummary> {
  const startedMs = Date.now();
  if (options.runId !== undefined && !RunIdSchema.safeParse(options.runId).success) {
    throw new StudioError({ code: 'cli.usage', message: `"${options.runId}" cannot be a run id: use 1-63 characters a-z, 0-9, _ . - starting with a letter or digit.` });
  }
  const runId = options.runId ?? newId();
  const emit = eventEmitter(runId, options.onEvent ?? (() => undefined));
  const signal = options.signal ?? new AbortController().signal;
  const loaded = await loadAll(options.sources, options, emit);
  const suiteTests = loaded.suites.reduce((n, p) => n + p.scenarios.reduce((k, s) => k + s.tests.length, 0), 0);
  if (loaded.tests.length + suiteTests === 0) return summarise(runId, startedMs, [...loaded.failed, ...loaded.suites.flatMap((p) => p.scenarios.flatMap((s) => (s.failed ? [s.failed] : [])))]);

  let pool: EnginePool;
  try {
    pool = options.docker ? EnginePool.of(options.docker) : await EnginePool.connect(engineAddresses(options.engines, options.env), options.env, (message) => emit({ type: 'warning', message }));
  } catch (error) {
    return summarise(runId, startedMs, loaded.failed, toProblem(error));
  }
  const docker = pool.engines[0]!.docker;
  // Leftovers of crashed runs (their owner process is gone) go before we add our own, on every engine.
  for (const { engine, report: reaped } of await pool.reap()) {
    const on = pool.several ? ` on ${engine.address}` : '';
    if (reaped.executions.length > 0) emit({ type: 'warning', message: `removed leftovers of ${reaped.executions.length} crashed execution(s)${on}: ${reaped.executions.join(', ')}${faultsText(reaped.faults)}` });
    for (const e of reaped.errors) emit({ type: 'warning', message: `reaper${on}: ${e}` });
  }
  sayWhenLost(pool, emit);
  const stopWatching = pool.watch(WATCH_INTERVAL_MS);

  let store: TraceStore | undefined = options.store;
  let receiver: Receiver | undefined;
  let hooks: RunHooks | undefined;
  const results: TestResult[] = [...loaded.failed];
  const verdicts: SuiteVerdict[] = [];
  let environmentProblem: Problem | undefined;
  try {
    store ??= await openStore({ dataDir: options.dataDir });
    const target = store;
    const binding = await poolReceiverBinding(pool, options.env);
    // A span the run's receiver acknowledges is a stored span, as in `clnrm collect` and the studio.
    receiver = await createReceiver({ sink: (spans, wire) => target.ingest(spans, wire), commit: target.commit, host: binding.host, httpPort: 0, grpcPort: false });
    // Remote engines: a relay per execution, read back over the engine's API (relay.ts).
    // Remote engines: a relay per execution, read back over the engine's API (relay.ts); decided per engine.
    const routes = engineRoutes(pool, target, options.env, `http://host.docker.internal:${receiver.http!.port}`);
    const route = routes.get(pool.engines[0]!)!;
    const commit = await gitCommit(options.cwd);
    const warn = (message: string): void => emit({ type: 'warning', message });
    const record = {
      id: runId,
      origin: options.origin ?? 'cli',
      startedAt: startedMs,
      ...(commit !== undefined ? { commit } : {}),
      environment: runEnvironment(pool.endpoint, options.env),
      files: options.sources.map((s) => s.file),
      passed: 0,
      failed: 0,
      errors: 0,
      skipped: 0,
    } as const;
    await recordQuietly(`run ${runId}`, () => target.recordRun(record), warn);
    const tracer = new SelfTracer((span) => target.ingest([span]), { 'clnrm.run_id': runId });
    const runSpan = tracer.root('clnrm.run', {
      'clnrm.version': CLNRM_VERSION,
      'test.config': options.sources[0]?.file,
      'test.count': loaded.tests.length + suiteTests,
      component: 'runner',
      'clnrm.run_id': runId,
      'clnrm.jobs': options.jobs ?? 1,
      'clnrm.engines': pool.engines.length,
      'clnrm.receiver': `${binding.host}:${receiver.http!.port}`,
    });
    emit({ type: 'run-started', files: options.sources.length, tests: loaded.tests.length + suiteTests, receiver: `${binding.host}:${receiver.http!.port} (${binding.reason}); ${routesText(pool, routes)}` });
    hooks = await runPlugins(options, runSpan, emit);
    const files = options.sources.map((s) => s.file);
    await hooks.call('onRunStart', { runId, files, startedAt: startedMs });
    const healing = new RunHealing({ cwd: options.cwd, ...options.healing });
    const env: RunnerEnvironment = {
      docker,
      store,
      receiver,
      otlpEndpoint: route.otlpEndpoint,
      tracer,
      runSpan,
      runId,
      ...(commit !== undefined ? { commit } : {}),
      signal,
      emit,
      hooks,
      services: route.services,
      ...(options.quietMs !== undefined ? { quietMs: options.quietMs } : {}),
      ...(options.sampleStats ? { sampleStats: true } : {}),
      ...(options.maxSpanWaitMs !== undefined ? { maxSpanWaitMs: options.maxSpanWaitMs } : {}),
      ...(options.interpose ? { interpose: options.interpose } : {}),
      healing,
    };
    const queue = (tests: readonly QueuedTest[], q: QueueOptions) => runOnPool(pool, env, routes, tests, q, (scoped, next) => boundedTest(scoped, next, options));
    results.push(...(await queue(loaded.tests, { jobs: options.jobs ?? 1, failFast: options.failFast ?? false, signal })));
    for (const plan of loaded.suites) {
      const suite = await runSuite(plan, queue, signal, (message) => emit({ type: 'log', source: plan.suite.name, message }));
      results.push(...suite.results);
      verdicts.push(suite.verdict);
    }
    // Quarantine and the knowledge store see the whole run before its verdict is taken.
    results.splice(0, results.length, ...(await healing.settle(target, results, warn)));
    const failing = results.filter((r) => r.verdict !== 'passed' && r.verdict !== 'skipped' && r.quarantine?.state !== 'quarantined').length + verdicts.filter((v) => v.verdict === 'block').length;
    const summary = summarise(runId, startedMs, results, undefined, verdicts);
    const verdict = runVerdict(summary);
    runSpan.end({ result: verdict === 'passed' ? 'pass' : 'fail', 'clnrm.failed': failing }, failing === 0 ? { code: 'ok' } : errorStatus(`${failing} test(s) did not pass`));
    await hooks.call('onRunEnd', { runId, files, startedAt: startedMs, verdict, durationMs: summary.durationMs });
    emit({ type: 'run-finished', verdict, passed: summary.passed, failed: summary.failed, errors: summary.errors, skipped: summary.skipped, durationMs: summary.durationMs });
    if (options.writeReports !== false) {
      // A suite's scenario files still write their own [report] files.
      const written = [...loaded.tests, ...loaded.suites.flatMap((p) => p.scenarios.flatMap((s) => s.tests))];
      for (const problem of await writeFileReports(written, results, options.cwd, options.reportDir)) emit({ type: 'warning', message: problem });
      for (const problem of await writeSuiteReports(loaded.suites, summary, options.cwd, options.reportDir)) emit({ type: 'warning', message: problem });
    }
  } catch (error) {
    environmentProblem = toProblem(error);
  } finally {
    stopWatching();
    await options.plugins?.dispose();
    await receiver?.dispose().catch(() => undefined);
  }
  const summary = summarise(runId, startedMs, results, environmentProblem, verdicts);
  const opened = store;
  if (opened) await recordQuietly(`the end of run ${runId}`, () => opened.finishRun(runId, runOutcome(summary)), (message) => emit({ type: 'warning', message }));
  if (!options.store) await store?.dispose().catch(() => undefined);
  return summary;
}

/** The run's verdict: error over failed over passed; a run of skipped tests only is skipped. */
export function runVerdict(summary: Pick<RunSummary, 'passed' | 'failed' | 'errors' | 'skipped' | 'environmentProblem' | 'suites'>): VerdictValue {
  if (summary.environmentProblem || summary.errors > 0) return 'error';
  // A suite can BLOCK on a release criterion while every scenario passed.
  if (summary.failed > 0 || summary.suites?.some((s) => s.verdict === 'block')) return 'failed';
  return summary.passed === 0 && summary.skipped > 0 ? 'skipped' : 'passed';
}

/** One test, aborted (its containers removed) when its suite scenario's timeout passes: then an error. */
async function boundedTest(env: RunnerEnvironment, next: QueuedTest, options: RunTestsOptions): Promise<TestResult> {
  const request = { test: next.test, file: next.file, includeRunnerSpans: options.includeRunnerSpans, cwd: options.cwd };
  if (!next.timeout) return runTest(env, request);
  const { ms, problem } = next.timeout;
  const bound = new AbortController();
  const timer = setTimeout(() => bound.abort(new StudioError(problem)), ms);
  try {
    const result = await runTest({ ...env, signal: AbortSignal.any([env.signal, bound.signal]) }, request);
    return bound.signal.aborted ? { ...result, verdict: 'error', problems: [problem, ...result.problems] } : result;
  } finally {
    clearTimeout(timer);
  }
}
