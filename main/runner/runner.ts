// `clnrm run` as a library: load test files, connect to Docker (reaping crashed runs' leftovers first),
// one OTLP receiver and store for the whole run, tests in parallel (`jobs`), the runner's own trace,
// and the `[report]` files. Returns a summary; never throws for a failing test — only the caller's
// bugs escape. Docker unavailable is `environmentProblem` (the CLI's exit 2).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { StudioError, toProblem, type Problem } from '../../shared/errors';
import type { PluginRegistry } from '../../shared/plugins';
import { RunIdSchema, type RunEvent, type VerdictValue } from '../../shared/run';
import { hostAccess, type TestFile } from '../../shared/spec';
import { connectDocker, newId, reapLeftovers, type DockerEndpoint } from '../docker';
import { createReceiver, type Receiver } from '../receiver';
import { loadTestFile, parseInThread } from '../spec';
import { openStore, type TraceStore } from '../store';
import { chooseReceiverBinding } from './receiver-host';
import { writeFileReports } from './reports';
import type { RunnerEnvironment } from './scenario';
import { recordQuietly, runEnvironment, runOutcome } from './history';
import { RunHooks } from './hooks';
import { eventEmitter, type Emit } from './run-events';
import { CLNRM_VERSION, SelfTracer, errorStatus, type OpenSpan } from './self-trace';
import { dockerServiceSets } from './service-port';
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
  /** Use this engine (else `connectDocker(env)`). */
  readonly docker?: { docker: Docker; endpoint: DockerEndpoint };
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

/** The host of a remote engine (`tcp://10.0.0.5:2375`, `ssh://me@box`): where its published ports are. */
function remoteHost(address: string): string | undefined {
  try {
    return new URL(address).hostname || undefined;
  } catch {
    return undefined;
  }
}

interface Loaded {
  readonly tests: { test: TestFile; file: string }[];
  readonly failed: TestResult[];
}

async function loadAll(sources: readonly TestSource[], env: Readonly<Record<string, string | undefined>>, emit: Emit): Promise<Loaded> {
  const tests: { test: TestFile; file: string }[] = [];
  const failed: TestResult[] = [];
  for (const source of sources) {
    const parsed = source.source !== undefined ? await parseInThread(source.source, { file: source.file, env: { ...env } }) : await loadTestFile(source.file, { ...env });
    for (const w of parsed.warnings) emit({ type: 'warning', message: `${source.file}:${w.line ?? 0}:${w.column ?? 0}: ${w.message}` });
    if (parsed.errors.length > 0) {
      failed.push({ file: source.file, name: source.file, verdict: 'error', startedAt: new Date().toISOString(), durationMs: 0, executions: [], problems: parsed.errors });
      continue;
    }
    for (const test of parsed.tests) tests.push({ test, file: source.file });
    // What the file takes from the host, said before anything runs (risky mounts are warnings above too).
    for (const mount of parsed.tests[0] ? hostAccess(parsed.tests[0], env.HOME) : []) {
      emit({ type: 'log', source: source.file, message: `service ${mount.service} mounts host ${mount.hostPath} at ${mount.containerPath}${mount.readOnly ? ' (read-only)' : ''}` });
    }
  }
  return { tests, failed };
}

function summarise(runId: string, startedMs: number, tests: TestResult[], environmentProblem?: Problem): RunSummary {
  const count = (v: TestResult['verdict']) => tests.filter((t) => t.verdict === v).length;
  return {
    runId,
    startedAt: new Date(startedMs).toISOString(),
    durationMs: Date.now() - startedMs,
    passed: count('passed'),
    failed: count('failed'),
    errors: count('error'),
    skipped: count('skipped'),
    tests,
    ...(environmentProblem ? { environmentProblem } : {}),
  };
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

export async function runTests(options: RunTestsOptions): Promise<RunSummary> {
  const startedMs = Date.now();
  if (options.runId !== undefined && !RunIdSchema.safeParse(options.runId).success) {
    throw new StudioError({ code: 'cli.usage', message: `"${options.runId}" cannot be a run id: use 1-63 characters a-z, 0-9, _ . - starting with a letter or digit.` });
  }
  const runId = options.runId ?? newId();
  const emit = eventEmitter(runId, options.onEvent ?? (() => undefined));
  const signal = options.signal ?? new AbortController().signal;
  const loaded = await loadAll(options.sources, options.env, emit);
  if (loaded.tests.length === 0) return summarise(runId, startedMs, loaded.failed);

  let connection: { docker: Docker; endpoint: DockerEndpoint };
  try {
    connection = options.docker ?? (await connectDocker(options.env));
  } catch (error) {
    return summarise(runId, startedMs, loaded.failed, toProblem(error));
  }
  const { docker } = connection;
  // Leftovers of crashed runs (their owner process is gone) go before we add our own.
  const reaped = await reapLeftovers(docker).catch((e: unknown) => ({ executions: [], errors: [toProblem(e).message] }));
  if (reaped.executions.length > 0) emit({ type: 'warning', message: `removed leftovers of ${reaped.executions.length} crashed execution(s): ${reaped.executions.join(', ')}` });
  for (const e of reaped.errors) emit({ type: 'warning', message: `reaper: ${e}` });

  let store: TraceStore | undefined = options.store;
  let receiver: Receiver | undefined;
  let hooks: RunHooks | undefined;
  const results: TestResult[] = [...loaded.failed];
  let environmentProblem: Problem | undefined;
  try {
    store ??= await openStore({ dataDir: options.dataDir });
    const target = store;
    const binding = await chooseReceiverBinding(docker, connection.endpoint, options.env);
    receiver = await createReceiver({ sink: (spans, wire) => target.ingest(spans, wire), host: binding.host, httpPort: 0, grpcPort: false });
    const commit = await gitCommit(options.cwd);
    const warn = (message: string): void => emit({ type: 'warning', message });
    const record = {
      id: runId,
      origin: options.origin ?? 'cli',
      startedAt: startedMs,
      ...(commit !== undefined ? { commit } : {}),
      environment: runEnvironment(connection.endpoint, options.env),
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
      'test.count': loaded.tests.length,
      component: 'runner',
      'clnrm.run_id': runId,
      'clnrm.jobs': options.jobs ?? 1,
      'clnrm.receiver': `${binding.host}:${receiver.http!.port}`,
    });
    emit({ type: 'run-started', files: options.sources.length, tests: loaded.tests.length, receiver: `${binding.host}:${receiver.http!.port} (${binding.reason})` });
    hooks = await runPlugins(options, runSpan, emit);
    const files = options.sources.map((s) => s.file);
    await hooks.call('onRunStart', { runId, files, startedAt: startedMs });
    const env: RunnerEnvironment = {
      docker,
      store,
      receiver,
      otlpEndpoint: `http://host.docker.internal:${receiver.http!.port}`,
      tracer,
      runSpan,
      runId,
      ...(commit !== undefined ? { commit } : {}),
      ...(connection.endpoint.local ? {} : { hostAddress: remoteHost(connection.endpoint.address) }),
      signal,
      emit,
      hooks,
      services: dockerServiceSets(docker),
      ...(options.quietMs !== undefined ? { quietMs: options.quietMs } : {}),
      ...(options.sampleStats ? { sampleStats: true } : {}),
      ...(options.maxSpanWaitMs !== undefined ? { maxSpanWaitMs: options.maxSpanWaitMs } : {}),
      ...(options.interpose ? { interpose: options.interpose } : {}),
    };
    results.push(...(await runQueue(env, loaded.tests, options)));
    const failing = results.filter((r) => r.verdict !== 'passed' && r.verdict !== 'skipped').length;
    const summary = summarise(runId, startedMs, results);
    const verdict = runVerdict(summary);
    runSpan.end({ result: verdict === 'passed' ? 'pass' : 'fail', 'clnrm.failed': failing }, failing === 0 ? { code: 'ok' } : errorStatus(`${failing} test(s) did not pass`));
    await hooks.call('onRunEnd', { runId, files, startedAt: startedMs, verdict, durationMs: summary.durationMs });
    emit({ type: 'run-finished', verdict, passed: summary.passed, failed: summary.failed, errors: summary.errors, skipped: summary.skipped, durationMs: summary.durationMs });
    if (options.writeReports !== false) {
      for (const problem of await writeFileReports(loaded.tests, results, options.cwd, options.reportDir)) emit({ type: 'warning', message: problem });
    }
  } catch (error) {
    environmentProblem = toProblem(error);
  } finally {
    await options.plugins?.dispose();
    await receiver?.dispose().catch(() => undefined);
  }
  const summary = summarise(runId, startedMs, results, environmentProblem);
  const opened = store;
  if (opened) await recordQuietly(`the end of run ${runId}`, () => opened.finishRun(runId, runOutcome(summary)), (message) => emit({ type: 'warning', message }));
  if (!options.store) await store?.dispose().catch(() => undefined);
  return summary;
}

/** The run's verdict: error over failed over passed; a run of skipped tests only is skipped. */
export function runVerdict(summary: Pick<RunSummary, 'passed' | 'failed' | 'errors' | 'skipped' | 'environmentProblem'>): VerdictValue {
  if (summary.environmentProblem || summary.errors > 0) return 'error';
  if (summary.failed > 0) return 'failed';
  return summary.passed === 0 && summary.skipped > 0 ? 'skipped' : 'passed';
}

/** Tests `-j N` at a time; with `--fail-fast`, none starts after one that did not pass. */
async function runQueue(env: RunnerEnvironment, tests: Loaded['tests'], options: RunTestsOptions): Promise<TestResult[]> {
  const queue = [...tests];
  const byTest = new Map<TestFile, TestResult>();
  let stopTaking = false;
  const worker = async (): Promise<void> => {
    for (;;) {
      if (stopTaking || env.signal.aborted) return;
      const next = queue.shift();
      if (!next) return;
      const result = await runTest(env, { test: next.test, file: next.file, includeRunnerSpans: options.includeRunnerSpans, cwd: options.cwd });
      byTest.set(next.test, result);
      if (options.failFast && result.verdict !== 'passed') stopTaking = true;
    }
  };
  const jobs = Math.max(1, Math.min(options.jobs ?? 1, tests.length));
  await Promise.all(Array.from({ length: jobs }, () => worker()));
  return tests.map(({ test, file }) => {
    const done = byTest.get(test);
    if (done) return done;
    const cancelled = env.signal.aborted;
    return {
      file,
      name: test.name,
      verdict: 'skipped',
      startedAt: new Date().toISOString(),
      durationMs: 0,
      executions: [],
      problems: [{ code: cancelled ? 'runner.cancelled' : 'runner.skipped', message: cancelled ? 'not run: the run was cancelled' : 'not run: --fail-fast after an earlier failure' }],
    };
  });
}
