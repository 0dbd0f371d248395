// `clnrm suggest TEST (--traces FILE... | --runs N | --since T [--until T] | --from jaeger:URL|tempo:URL --service S | --live SECONDS)`: mines the runs for invariants and prints them as
// suggested assertions grouped by kind, each with its id, support, confidence, evidence span ids and
// TOML snippet. Without a source flag the file's `[intelligence.trace_analysis] sources` are read; its
// `[intelligence]` thresholds and buffer factor apply unless a flag overrides them. `--write` inserts every listed suggestion, `--accept ID...` the named ones, through the
// comment-keeping writer, after checking the result still validates; the write is atomic.
// Exit 0 on success, 1 when the test file is invalid or the write is refused, 2 for usage errors.
import { isAbsolute, resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { formatLocation, formatProblem, toProblem, type Problem } from '../../../shared/errors';
import { applySuggestions, DEFAULT_MIN_CONFIDENCE, DEFAULT_MIN_SUPPORT, DEFAULT_BUFFER_FACTOR, suggestAssertions, type Suggestion, type SuggestionReport } from '../../../shared/intelligence';
import { intelligenceSettings, type IntelligenceSettings } from '../../../shared/intelligence/settings';
import type { LoadedRuns } from '../../intelligence/sources';
import { parseRemoteSource, type RemoteSource } from '../../intelligence/remote-sources';
import { expectsRunnerSpans, RUNNER_SPAN_NAME } from '../../runner/evaluation';
import { humanReport, jsonReport } from '../../intelligence/report';
import { existingOf, writeSuggestions } from '../../intelligence/file-suggestions';
import { loadTestFile, type LoadedTestFile } from '../../spec';
import { displayPath } from '../display-path';
import { setExit, type CliContext } from '../context';
import { EXIT_FAILED, EXIT_USAGE } from '../exit';
import {
  addLiveOptions,
  configuredSources,
  DEFAULT_RANGE_LIMIT,
  DEFAULT_REMOTE_LIMIT,
  fileSource,
  liveSource,
  liveUsageProblem,
  loadLearnSources,
  rangeSource,
  rangeUsageProblem,
  timeArg,
  type LearnSource,
  type LiveOptions,
} from '../learn-sources';

interface SuggestOptions extends LiveOptions {
  traces?: string[];
  runs?: number;
  from?: RemoteSource;
  since?: number;
  until?: number;
  limit?: number;
  dataDir?: string;
  service?: string;
  group?: string;
  minConfidence?: number;
  minSupport?: number;
  format: 'human' | 'json' | 'toml';
  write?: boolean;
  accept?: string[];
}

const SOURCES =
  '--traces FILE... (one run per file), --runs N (stored runs of this test file), --since T [--until T] (the stored traces of that time: one run per test execution, else per trace), --from jaeger:URL|tempo:URL --service S (one run per trace) or --live SECONDS';

/** Commander calls a parser with (value, previous): `timeArg`'s second parameter is the clock, so wrap it. */
function time(value: string): number {
  return timeArg(value);
}

function probability(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('give a number from 0 to 1, e.g. 0.99.');
  return n;
}

function groupId(value: string): string {
  if (!/^[0-9a-fA-F]{4,16}$/.test(value)) throw new InvalidArgumentError('give 4 to 16 hex digits of a structure group id, as the report lists them.');
  return value.toLowerCase();
}

function positive(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 10_000) throw new InvalidArgumentError('give a whole number from 1 to 10000.');
  return Number(value);
}

function remoteSource(value: string): RemoteSource {
  try {
    return parseRemoteSource(value);
  } catch (error) {
    throw new InvalidArgumentError(toProblem(error).message);
  }
}

/** The flag's source, else the file's configured ones. */
async function learnSources(ctx: CliContext, options: SuggestOptions, testPath: string, settings: IntelligenceSettings): Promise<LearnSource[]> {
  if (options.traces) return [fileSource(ctx, options.traces)];
  const range = { ...(options.since !== undefined ? { sinceUs: options.since } : {}), ...(options.until !== undefined ? { untilUs: options.until } : {}) };
  if (options.from) return [{ kind: 'remote', remote: options.from, service: options.service!, limit: options.limit ?? DEFAULT_REMOTE_LIMIT, ...range }];
  if (options.live !== undefined) return [liveSource(options)];
  if (options.runs !== undefined) return [{ kind: 'store', testFile: testPath, runs: options.runs, ...(options.dataDir ? { dataDir: options.dataDir } : {}) }];
  if (options.since !== undefined || options.until !== undefined) return [rangeSource(options)];
  return configuredSources(ctx, settings.sources, testPath, options.service, options.dataDir);
}

/** Writes the chosen suggestions; returns undefined (having said why) when it refused. */
async function write(ctx: CliContext, loaded: LoadedTestFile, shown: string, chosen: readonly Suggestion[]): Promise<{ ids: readonly string[]; skipped: readonly string[]; diff: string } | undefined> {
  const outcome = await writeSuggestions(loaded, shown, chosen, ctx.env);
  if (outcome.ok) return { ids: outcome.ids, skipped: outcome.skipped, diff: outcome.diff };
  for (const p of outcome.problems) ctx.err(`${formatLocation({ file: shown, line: p.line, column: p.column })}: error: ${p.message} [${p.code}]`);
  ctx.err(`clnrm suggest: ${formatProblem(outcome.problem)}`);
  setExit(ctx, EXIT_FAILED);
  return undefined;
}

function chosenSuggestions(ctx: CliContext, report: SuggestionReport, options: SuggestOptions): Suggestion[] | undefined {
  if (options.write) return report.suggestions.filter((s) => !s.conflict);
  const byId = new Map(report.suggestions.map((s) => [s.id, s]));
  const unknown = (options.accept ?? []).filter((id) => !byId.has(id));
  if (unknown.length) {
    ctx.err(`clnrm suggest: ${formatProblem({ code: 'suggest.unknown-id', message: `no suggestion with id ${unknown.join(', ')} at these thresholds; the ids listed by the same command (same runs, same --min-confidence) are accepted` })}`);
    setExit(ctx, EXIT_USAGE);
    return undefined;
  }
  return (options.accept ?? []).map((id) => byId.get(id)!);
}

/**
 * Stored runs are mined without the runner's own spans (they are no part of the system), so the file's
 * expectations about `clnrm.*` spans cannot be judged on them: not reported as contradicted.
 */
function withoutRunnerConflicts(ctx: CliContext, report: SuggestionReport): SuggestionReport {
  const conflicts = report.conflicts.filter((c) => !RUNNER_SPAN_NAME.test(c.message));
  if (conflicts.length < report.conflicts.length) ctx.err(`note: ${report.conflicts.length - conflicts.length} expectation(s) about the runner's own spans (clnrm.*) were not checked: stored runs are mined without them`);
  return { ...report, conflicts };
}

async function suggest(ctx: CliContext, testArg: string, options: SuggestOptions): Promise<void> {
  const usage = (message: string, code: Problem['code'] = 'cli.usage') => {
    ctx.err(`clnrm suggest: ${formatProblem({ code, message })}`);
    setExit(ctx, EXIT_USAGE);
  };
  // --since/--until are a source of their own (the store's traces), or bound what --from fetches.
  const ranged = options.since !== undefined || options.until !== undefined;
  const sources = [options.traces, options.runs, options.from, options.live].filter((s) => s !== undefined).length + (ranged && !options.from ? 1 : 0);
  if (sources > 1) return usage(`give the runs to learn from, one source: ${SOURCES}`);
  if (options.from && !options.service) return usage(`--from ${options.from.kind}:URL needs --service S: the service whose traces to fetch (and whose spans to learn from)`);
  if (options.limit !== undefined && !options.from && !ranged) return usage('--limit (how many traces to read) goes with --from or --since/--until');
  const range = rangeUsageProblem(options);
  if (range) return usage(range);
  const live = liveUsageProblem(options);
  if (live) return usage(live);
  if (options.write && options.accept) return usage('--write (every suggestion) and --accept ID... (the named ones) exclude each other');
  const testPath = isAbsolute(testArg) ? testArg : resolve(ctx.cwd, testArg);
  const shown = displayPath(ctx.cwd, testPath);
  const loaded = await loadTestFile(testPath, ctx.env);
  if (loaded.errors.length) {
    for (const p of loaded.errors) ctx.err(`${formatLocation({ file: shown, line: p.line, column: p.column })}: error: ${p.message} [${p.code}]`);
    ctx.err(`clnrm suggest: ${shown} is not a valid test file; run \`clnrm validate ${shown}\` for details`);
    setExit(ctx, EXIT_FAILED);
    return;
  }
  const test = loaded.tests[0]!;
  const settings = intelligenceSettings(test.intelligence);
  if (sources === 0 && settings.sources.length === 0) {
    return usage(`give the runs to learn from: ${SOURCES}; or sources in ${shown}'s [intelligence.trace_analysis]`);
  }
  let runs: LoadedRuns | undefined;
  let fromStore = false;
  try {
    const list = await learnSources(ctx, options, testPath, settings);
    fromStore = list.some((s) => s.kind === 'store');
    runs = await loadLearnSources(ctx, 'suggest', list);
  } catch (error) {
    return usage(formatProblem(toProblem(error)));
  }
  if (!runs) return;
  for (const w of runs.warnings) ctx.err(`warning: ${formatProblem(w)}`);
  for (const n of runs.notes) ctx.err(`note: ${n}`);
  if (runs.runs.length === 0) return usage(`no runs to learn from${options.runs ? ` (no passed execution of ${shown} in the last ${options.runs} stored runs)` : ''}`, 'suggest.no-runs');

  const thresholds = { minConfidence: options.minConfidence ?? settings.minConfidence ?? DEFAULT_MIN_CONFIDENCE, minSupport: options.minSupport ?? settings.minSupport ?? DEFAULT_MIN_SUPPORT };
  const filters = { ...(options.service ? { service: options.service } : {}), ...(options.group ? { group: options.group } : {}) };
  const report = suggestAssertions(runs.runs, { ...thresholds, bufferFactor: settings.bufferFactor ?? DEFAULT_BUFFER_FACTOR, ...filters }, existingOf(loaded, test));
  if (report.runs === 0) return usage(`no run belongs to structure group ${options.group ?? ''}; the groups are listed without --group`, 'suggest.no-runs');
  const shownReport = fromStore && expectsRunnerSpans(test) ? withoutRunnerConflicts(ctx, report) : report;

  let written: Awaited<ReturnType<typeof write>>;
  if (options.write || options.accept) {
    const chosen = chosenSuggestions(ctx, shownReport, options);
    if (!chosen) return;
    written = await write(ctx, loaded, shown, chosen);
    if (!written) return;
  }
  if (options.format === 'json') ctx.out(jsonReport(shownReport, shown, written));
  else if (options.format === 'toml') {
    const open = shownReport.suggestions.filter((s) => !s.conflict);
    const rendered = applySuggestions('', open);
    ctx.out(`# clnrm suggest: ${open.length} suggestion(s) from ${shownReport.runs} run(s) of ${shown}: ${open.map((s) => s.id).join(', ')}`);
    if (rendered.ok) ctx.out(rendered.text);
  } else {
    for (const line of humanReport(shownReport, shown, { ...thresholds, minFrequency: settings.patternMinFrequency ?? 0 })) ctx.out(line);
  }
  // JSON carries `written` itself; stdout stays one JSON document.
  if (written && options.format !== 'json') {
    if (written.diff) ctx.out(written.diff);
    ctx.out(`Wrote ${written.ids.length} suggestion(s) to ${shown}${written.skipped.length ? ` (${written.skipped.length} already there)` : ''}.`);
  }
}

export function registerSuggest(program: Command, ctx: CliContext): void {
  const command = program
    .command('suggest')
    .description('Suggest assertions for a test file, mined from recorded runs (with support, confidence and evidence)')
    .argument('<test-file>', 'a .clnrm.toml test file')
    .option('--traces <files...>', 'trace files to learn from, one run each: OTLP JSON/JSONL, Jaeger JSON or clnrm NDJSON')
    .option('--runs <n>', "learn from the passed executions of this test file's last N stored runs", positive)
    .option('--from <source>', 'learn from the traces of a Jaeger query service or Grafana Tempo: jaeger:URL or tempo:URL, with --service (one run per trace)', remoteSource)
    .option('--since <time>', 'learn from the stored traces that started from then on (a date-time like 2026-12-07T14:00:00Z, or 90s, 30m, 2h, 7d ago); with --from, only traces from then on', time)
    .option('--until <time>', 'with --since (or alone): traces that started up to then; with --from, up to then', time)
    .option('--limit <n>', `with --from: most traces to fetch (default ${DEFAULT_REMOTE_LIMIT}); with --since/--until: most stored traces, newest first (default ${DEFAULT_RANGE_LIMIT})`, positive)
    .option('--data-dir <dir>', 'folder of the trace database, with --runs or --since/--until (default: the app-data folder)')
    .option('--service <name>', 'only spans of this service (resource service.name); with --from, also the service whose traces are fetched')
    .option('--group <id>', 'only runs of this structure group (its id as listed; mines one path)', groupId)
    .option('--min-confidence <c>', `confidence threshold, 0 to 1 (default: the file's [intelligence.assertions] confidence_threshold, else ${DEFAULT_MIN_CONFIDENCE})`, probability)
    .option('--min-support <n>', `fewest runs a suggestion must hold in (default: [intelligence.assertions] min_support, else ${DEFAULT_MIN_SUPPORT})`, positive)
    .addOption(new Option('--format <format>', 'output format').choices(['human', 'json', 'toml']).default('human'))
    .option('--write', 'insert every listed suggestion into the test file')
    .option('--accept <ids...>', 'insert the suggestions with these ids into the test file');
  addLiveOptions(command).action((testArg: string, options: SuggestOptions) => suggest(ctx, testArg, options));
}
