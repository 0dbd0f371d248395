// `clnrm generate --from SOURCE... --out DIR`: new test files learned from runs — one per common path and
// one per error pattern, each with a performance baseline (shared/intelligence/generate.ts) — written
// only when they validate and pass on the runs they came from. `--config TEST` reads that file's
// `[intelligence]` (sources, rules, thresholds, output folder); flags override it. An existing file is
// never overwritten without --force. Exit 0 when files were written, 1 when none could be (or a file
// exists), 2 for usage errors.
import { access, mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { formatLocation, formatProblem, toProblem, type Problem } from '../../../shared/errors';
import { generateTests, type GenerationReport } from '../../../shared/intelligence/generate';
import { intelligenceSettings, NO_INTELLIGENCE_SETTINGS, type IntelligenceSettings } from '../../../shared/intelligence/settings';
import { parseRemoteSource } from '../../intelligence/remote-sources';
import { loadTestFile, writeFileAtomic } from '../../spec';
import { setExit, type CliContext } from '../context';
import { displayPath } from '../display-path';
import { EXIT_FAILED, EXIT_USAGE } from '../exit';
import { addLiveOptions, configuredSources, DEFAULT_REMOTE_LIMIT, fileSource, liveSource, liveUsageProblem, loadLearnSources, type LearnSource, type LiveOptions } from '../learn-sources';

interface GenerateOptions extends LiveOptions {
  from?: string[];
  out?: string;
  config?: string;
  service?: string;
  runs?: number;
  limit?: number;
  dataDir?: string;
  minFrequency?: number;
  minConfidence?: number;
  minSupport?: number;
  force?: boolean;
  format: 'human' | 'json';
}

const DEFAULT_STORED_RUNS = 30;

function share(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('give a share from 0 to 1, e.g. 0.05.');
  return n;
}

function positive(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 10_000) throw new InvalidArgumentError('give a whole number from 1 to 10000.');
  return Number(value);
}

/** `jaeger:URL`, `tempo:URL`, `runs:TEST` (stored runs of a test file) or a trace file. */
function sourcesOf(ctx: CliContext, given: readonly string[], options: GenerateOptions): LearnSource[] {
  const files = given.filter((g) => !/^(jaeger|tempo|runs):/.test(g));
  const out: LearnSource[] = files.length ? [fileSource(ctx, files)] : [];
  for (const g of given.filter((x) => /^(jaeger|tempo|runs):/.test(x))) {
    if (g.startsWith('runs:')) {
      const test = g.slice(5);
      out.push({ kind: 'store', testFile: isAbsolute(test) ? test : resolve(ctx.cwd, test), runs: options.runs ?? DEFAULT_STORED_RUNS, ...(options.dataDir ? { dataDir: options.dataDir } : {}) });
    } else {
      out.push({ kind: 'remote', remote: parseRemoteSource(g), service: options.service ?? '', limit: options.limit ?? DEFAULT_REMOTE_LIMIT });
    }
  }
  return out;
}

function usageProblem(options: GenerateOptions): string | undefined {
  if (options.live !== undefined && options.from) return '--live SECONDS and --from exclude each other: give one source of runs';
  const live = liveUsageProblem(options);
  if (live) return live;
  const remote = (options.from ?? []).find((g) => /^(jaeger|tempo):/.test(g));
  if (remote && !options.service) return `--from ${remote.split(':')[0]}:URL needs --service S: the service whose traces to fetch`;
  if (options.limit !== undefined && !remote) return '--limit (how many traces to fetch) goes with --from jaeger:URL or tempo:URL';
  if (options.runs !== undefined && !(options.from ?? []).some((g) => g.startsWith('runs:'))) return '--runs N goes with --from runs:TEST (the stored runs of a test file)';
  return undefined;
}

/** The test file named by --config, read for its `[intelligence]`; undefined when it is invalid (said). */
async function settingsOf(ctx: CliContext, config: string | undefined): Promise<{ settings: IntelligenceSettings; path?: string } | undefined> {
  if (config === undefined) return { settings: NO_INTELLIGENCE_SETTINGS };
  const path = isAbsolute(config) ? config : resolve(ctx.cwd, config);
  const loaded = await loadTestFile(path, ctx.env);
  const shown = displayPath(ctx.cwd, path);
  if (loaded.errors.length) {
    for (const p of loaded.errors) ctx.err(`${formatLocation({ file: shown, line: p.line, column: p.column })}: error: ${p.message} [${p.code}]`);
    ctx.err(`clnrm generate: ${shown} is not a valid test file; run \`clnrm validate ${shown}\` for details`);
    setExit(ctx, EXIT_FAILED);
    return undefined;
  }
  return { settings: intelligenceSettings(loaded.tests[0]!.intelligence), path };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

function printReport(ctx: CliContext, report: GenerationReport, outShown: string, format: GenerateOptions['format']): void {
  if (format === 'json') {
    const files = report.files.map(({ text: _text, fileName, ...f }) => ({ file: join(outShown, fileName), ...f, runs: f.runs.length }));
    ctx.out(JSON.stringify({ runs: report.runs, out: outShown, files, skipped: report.skipped }, null, 2));
    return;
  }
  ctx.out(`Learned from ${report.runs} run(s).`);
  for (const f of report.files) {
    const what = f.kind === 'common_path' ? 'common path' : 'error pattern';
    ctx.out(`  wrote ${join(outShown, f.fileName)}  ${what}  ${f.runs.length} run(s) (${Math.round(f.frequency * 1000) / 10} %), ${f.expectations} expectation(s), confidence ${f.confidence}`);
  }
  for (const s of report.skipped) ctx.out(`  skipped ${s.what}: ${s.reason}`);
  if (report.files.length) ctx.out(`Each file passes on the runs it came from; to run one against containers, declare its services and a scenario command (see the comments at its top).`);
}

async function generate(ctx: CliContext, options: GenerateOptions): Promise<void> {
  const usage = (message: string, code: Problem['code'] = 'cli.usage') => {
    ctx.err(`clnrm generate: ${formatProblem({ code, message })}`);
    setExit(ctx, EXIT_USAGE);
  };
  const bad = usageProblem(options);
  if (bad) return usage(bad);
  const config = await settingsOf(ctx, options.config);
  if (!config) return;
  const { settings } = config;
  const base = config.path ? dirname(config.path) : ctx.cwd;
  const outDir = options.out ? resolve(ctx.cwd, options.out) : settings.generation.outDir ? resolve(base, settings.generation.outDir) : undefined;
  if (!outDir) return usage('give --out DIR (the folder for the new test files), or output_dir in the --config file\'s [intelligence.generation]');
  if (!options.from && options.live === undefined && settings.sources.length === 0) {
    return usage('give the runs to learn from: --from FILE... | jaeger:URL | tempo:URL (with --service) | runs:TEST, --live SECONDS, or --config TEST with [intelligence.trace_analysis] sources');
  }

  let report: GenerationReport;
  try {
    const sources = options.live !== undefined ? [liveSource(options)] : options.from ? sourcesOf(ctx, options.from, options) : await configuredSources(ctx, settings.sources, config.path!, options.service, options.dataDir);
    const loaded = await loadLearnSources(ctx, 'generate', sources);
    if (!loaded) return;
    for (const w of loaded.warnings) ctx.err(`warning: ${formatProblem(w)}`);
    for (const n of loaded.notes) ctx.err(`note: ${n}`);
    if (loaded.runs.length === 0) return usage('no runs to learn from', 'suggest.no-runs');
    const g = settings.generation;
    report = generateTests(loaded.runs, {
      kinds: g.kinds,
      ...(options.service ? { service: options.service } : {}),
      minFrequency: options.minFrequency ?? g.minFrequency,
      minErrorSamples: g.minErrorSamples,
      minConfidence: options.minConfidence ?? g.minConfidence ?? settings.minConfidence,
      minSupport: options.minSupport ?? settings.minSupport,
      bufferFactor: g.baselineBuffer ?? settings.bufferFactor,
    });
  } catch (error) {
    return usage(formatProblem(toProblem(error)));
  }
  const outShown = displayPath(ctx.cwd, outDir);
  if (report.files.length === 0) {
    printReport(ctx, report, outShown, options.format);
    ctx.err(`clnrm generate: ${formatProblem({ code: 'generate.nothing', message: 'no common path or error pattern gave a test file (see the reasons above); give more runs, or lower --min-frequency / --min-confidence' })}`);
    setExit(ctx, EXIT_FAILED);
    return;
  }
  const taken = [];
  for (const f of report.files) if (await exists(join(outDir, f.fileName))) taken.push(join(outShown, f.fileName));
  if (taken.length && !options.force) {
    ctx.err(`clnrm generate: ${formatProblem({ code: 'generate.exists', message: `${taken.join(', ')} already exist(s); nothing was written. Give --force to replace them (names are the same for the same paths and patterns)` })}`);
    setExit(ctx, EXIT_FAILED);
    return;
  }
  await mkdir(outDir, { recursive: true });
  for (const f of report.files) await writeFileAtomic(join(outDir, f.fileName), f.text);
  printReport(ctx, report, outShown, options.format);
}

export function registerGenerate(program: Command, ctx: CliContext): void {
  const command = program
    .command('generate')
    .description('Generate test files from runs: one per common path and per error pattern, with a performance baseline, each passing on its runs')
    .option('--from <sources...>', 'trace files (one run each), jaeger:URL or tempo:URL (with --service; one run per trace), runs:TEST (passed stored executions of a test file)')
    .option('--out <dir>', "folder for the new files (default: --config's [intelligence.generation] output directory)")
    .option('--config <test-file>', 'a test file whose [intelligence] settings configure this (sources, rules, thresholds, output folder)')
    .option('--service <name>', 'only spans of this service; with jaeger:/tempo:, also the service whose traces are fetched')
    .option('--runs <n>', `with runs:TEST, how many of its last stored runs (default ${DEFAULT_STORED_RUNS})`, positive)
    .option('--limit <n>', `with jaeger:/tempo:, most traces to fetch (default ${DEFAULT_REMOTE_LIMIT})`, positive)
    .option('--data-dir <dir>', 'folder of the trace database, with runs:TEST (default: the app-data folder)')
    .option('--min-frequency <f>', 'share of runs a common path needs for its own file (default 0.05, or the rules)', share)
    .option('--min-confidence <c>', 'confidence an expectation needs (default 0.99)', share)
    .option('--min-support <n>', 'fewest runs an expectation must hold in (default 2)', positive)
    .option('--force', 'replace files of the same name')
    .addOption(new Option('--format <format>', 'output format').choices(['human', 'json']).default('human'));
  addLiveOptions(command).action((options: GenerateOptions) => generate(ctx, options));
}
