// `clnrm run [PATHS...]`: find `*.clnrm.toml` files (default: the working directory), run them on
// Docker with live progress, print a summary or a JSON / JUnit report on stdout. A suite file
// (`[suite]`) runs its scenario files and ends with its SHIP/BLOCK verdict. Exit 0 when every test
// passes (and every suite ships), 1 when any fails or a suite blocks, 2 for usage or environment errors.
import { InvalidArgumentError, type Command } from 'commander';
import { formatProblem, toProblem } from '../../../shared/errors';
import { createProgress, jsonReport, junitReport, runTests, summaryLines, type RunSummary, type TestSource } from '../../runner';
import { findTestFiles } from '../../spec';
import { openStore, resolveDataDir, type TraceStore } from '../../store';
import { HostMirror } from '../../host/store-mirror';
import { setExit, type CliContext } from '../context';
import { lookUpStudio } from '../with-store';
import { knowledgeDir } from '../../healing/knowledge-store';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from '../exit';
import { checkEngineAddress } from '../../runner/engine-pool';

export type ReportFormat = 'human' | 'json' | 'junit';

const ENVIRONMENT_CODES = new Set<string>(['docker.unavailable', 'docker.image-missing']);

export function parseJobs(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 64) throw new InvalidArgumentError('give a whole number of parallel tests from 1 to 64.');
  return n;
}

export function parseFormat(value: string): ReportFormat {
  if (value !== 'human' && value !== 'json' && value !== 'junit') throw new InvalidArgumentError('use human, json or junit.');
  return value;
}

export function parseRetries(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 10) throw new InvalidArgumentError('give a whole number of retries per execution from 0 to 10.');
  return n;
}

/** `--engine URL`, repeatable: the engines of the run's pool. */
export function collectEngine(value: string, previous: string[] = []): string[] {
  try {
    return [...previous, checkEngineAddress(value, '--engine')];
  } catch (error) {
    throw new InvalidArgumentError(toProblem(error).message);
  }
}

export interface RunCommandOptions {
  jobs: number;
  /** Engines of the pool (`--engine`, repeatable); else CLNRM_ENGINES, else DOCKER_HOST's engine. */
  engine?: string[];
  failFast?: boolean;
  format: ReportFormat;
  dataDir?: string;
  verbose?: boolean;
  reportDir?: string;
  /** Self-healing retries per failed execution, for the classes that may be retried. */
  retries?: number;
}

export interface RunStore {
  readonly store: TraceStore;
  /** Set when a running studio holds the folder: the run's copy to it, and whether it got everything. */
  readonly mirror?: HostMirror;
}

/**
 * The store for a run. When a running studio holds the data folder, the run judges its executions from
 * a store in memory (exactly as from its own folder) and copies every span and history write to the
 * studio's store (main/host), so the run shows in the studio as it happens. When the default folder is
 * held by a process that does not serve it (`clnrm collect`), the run keeps its traces in memory and
 * says so; an explicit --data-dir that is locked stays an error (the runner reports it).
 */
export async function openRunStore(ctx: CliContext, dataDir: string | undefined): Promise<RunStore | undefined> {
  const path = resolveDataDir(dataDir, ctx.cwd, ctx.env);
  const studio = await lookUpStudio(ctx, 'run', path);
  if (studio.kind === 'host') {
    const mirror = new HostMirror(studio.client);
    return { store: await openStore({ inMemory: true, mirror }), mirror };
  }
  try {
    const store = await openStore({ dataDir: path });
    if (store.notice !== undefined) ctx.err(`clnrm: note: ${store.notice}`);
    return { store };
  } catch (error) {
    const problem = toProblem(error);
    if (dataDir !== undefined || !/in use by another process/.test(problem.message)) return undefined;
    ctx.err(`clnrm: note: ${path} is in use by a process that does not share it (\`clnrm collect\`?); this run's traces are kept in memory only (pass --data-dir to keep them).`);
    return { store: await openStore({ inMemory: true }) };
  }
}

/** After the run: what the studio did not get, as an error line (exit 2); nothing when it got everything. */
function reportMirror(ctx: CliContext, mirror: HostMirror | undefined): void {
  if (!mirror?.failure) return;
  const { spans, historyWrites } = mirror.lost;
  ctx.err(`clnrm run: ${formatProblem(toProblem(mirror.failure))}`);
  ctx.err(`clnrm run: ${spans} span(s) and ${historyWrites} history record(s) of this run did not reach the studio's store; the results above are complete (judged here).`);
  setExit(ctx, EXIT_USAGE);
}

/** Runs the sources and reports like `clnrm run` does (shared with `clnrm self-test`). */
export async function runAndReport(ctx: CliContext, sources: TestSource[], options: RunCommandOptions & { includeRunnerSpans?: boolean }): Promise<RunSummary> {
  // Progress goes to stderr so `--format json|junit` keeps stdout machine-readable.
  const progress = createProgress((line) => ctx.err(line), ctx.isTTY, options.verbose);
  const opened = await openRunStore(ctx, options.dataDir);
  const store = opened?.store;
  let summary: RunSummary;
  try {
    summary = await runTests({
      ...(store ? { store } : {}),
      sources,
      cwd: ctx.cwd,
      env: ctx.env,
      jobs: options.jobs,
      ...(options.engine ? { engines: options.engine } : {}),
      failFast: options.failFast,
      dataDir: resolveDataDir(options.dataDir, ctx.cwd, ctx.env),
      signal: ctx.stopSignal,
      onEvent: progress.onEvent,
      includeRunnerSpans: options.includeRunnerSpans,
      ...(options.reportDir !== undefined ? { reportDir: options.reportDir } : {}),
      healing: { knowledgeDir: knowledgeDir(options.dataDir, ctx.cwd), cwd: ctx.cwd, ...(options.retries !== undefined ? { retries: options.retries } : {}) },
    });
  } finally {
    await store?.dispose();
  }
  progress.finish();
  if (options.format === 'json') ctx.out(jsonReport(summary));
  else if (options.format === 'junit') ctx.out(junitReport(summary));
  const lines = summaryLines(summary);
  if (options.format === 'human') ctx.out(lines.join('\n'));
  else ctx.err(lines.join('\n'));
  // A missing image or engine is the environment's fault, not the test's: exit 2 like Docker unavailable.
  const environmental = summary.tests.some((t) => t.executions.some((e) => e.problems.some((p) => ENVIRONMENT_CODES.has(p.code))));
  if (summary.environmentProblem || environmental) setExit(ctx, EXIT_USAGE);
  else {
    // A suite that BLOCKs fails the run even when each of its scenarios passed (a release criterion).
    const failed = summary.tests.some((t) => (t.verdict === 'failed' || t.verdict === 'error') && t.quarantine?.state !== 'quarantined') || (summary.suites ?? []).some((v) => v.verdict === 'block');
    setExit(ctx, failed ? EXIT_FAILED : EXIT_OK);
  }
  if (ctx.stopSignal.aborted) setExit(ctx, EXIT_FAILED);
  reportMirror(ctx, opened?.mirror);
  return summary;
}

export function registerRun(program: Command, ctx: CliContext): void {
  program
    .command('run')
    .description('Run .clnrm.toml tests hermetically on Docker and check their traces')
    .argument('[paths...]', 'test files or folders searched for *.clnrm.toml', ['.'])
    .option('-j, --jobs <n>', 'tests run in parallel (on each engine)', parseJobs, 1)
    .option('--engine <url>', 'spread tests over this Docker engine too (repeatable; unix://, tcp://, ssh://; default: CLNRM_ENGINES, else DOCKER_HOST)', collectEngine)
    .option('--fail-fast', 'start no new test after the first failure')
    .option('--format <format>', 'report on stdout: human, json or junit', parseFormat, 'human' as ReportFormat)
    .option('--data-dir <dir>', 'folder of the trace database (default: the app-data folder)')
    .option('--report-dir <dir>', "write each file's [report] paths under DIR (default: the test file's folder; they may not leave it)")
    .option('--retries <n>', 'retry a failed execution up to N times when its failure class may heal (transient network, startup, timing, infrastructure; [self_healing] can change which)', parseRetries)
    .option('-v, --verbose', 'print each scenario start and every failure reason as it happens')
    .action(async (paths: string[], options: RunCommandOptions) => {
      let files: string[];
      try {
        files = await findTestFiles(paths, ctx.cwd);
      } catch (error) {
        ctx.err(`clnrm run: ${formatProblem(toProblem(error))}`);
        setExit(ctx, EXIT_USAGE);
        return;
      }
      if (files.length === 0) {
        ctx.err(`clnrm run: no *.clnrm.toml files under ${paths.join(', ')}`);
        setExit(ctx, EXIT_USAGE);
        return;
      }
      await runAndReport(ctx, files.map((file) => ({ file })), options);
    });
}
