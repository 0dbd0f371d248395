// Test generation (the seed's `[intelligence.generation]` rules), pure: one new test file per common
// path (a structure group of the runs that went right, at least `minFrequency` of all runs) and one per
// error pattern (expecting the error), each carrying what mining supports — with duration bounds, the
// performance baseline, unless that rule is off. A file is offered only when it validates and its
// expectations pass on every run it was learned from; otherwise it is skipped with the reason.
import { evaluateExpectations } from '../expect';
import { fnv1a64 } from '../expect/determinism';
import { parseTestFile } from '../spec/parse';
import { tomlKey, tomlValue } from '../spec/writer/toml-value';
import { applySuggestions } from './apply';
import { errorPatterns, groupByStructure } from './grouping';
import type { GenerationKind } from './settings';
import { suggestAssertions } from './suggest';
import { DEFAULT_BUFFER_FACTOR, DEFAULT_MIN_CONFIDENCE, DEFAULT_MIN_SUPPORT, type MiningRun, type Suggestion } from './types';

export const DEFAULT_MIN_FREQUENCY = 0.05;
export const GENERATED_BY = 'clnrm generate';

export interface GenerateOptions {
  readonly kinds: ReadonlySet<GenerationKind>;
  readonly minFrequency?: number;
  readonly minErrorSamples?: number;
  readonly minConfidence?: number;
  readonly minSupport?: number;
  readonly bufferFactor?: number;
  /** Only spans of this service (resource service.name). */
  readonly service?: string;
}

export interface GeneratedTest {
  /** Deterministic: `path-<group id>.clnrm.toml` or `error-<pattern hash>.clnrm.toml`. */
  readonly fileName: string;
  readonly kind: 'common_path' | 'error_pattern';
  readonly text: string;
  /** Ids of the runs it was learned from (and passes on). */
  readonly runs: readonly string[];
  readonly frequency: number;
  /** The lowest confidence of its expectations (`[meta] confidence`). */
  readonly confidence: number;
  readonly expectations: number;
}

export interface SkippedPattern {
  readonly what: string;
  readonly reason: string;
}

export interface GenerationReport {
  readonly runs: number;
  readonly files: readonly GeneratedTest[];
  readonly skipped: readonly SkippedPattern[];
}

interface Pattern {
  readonly kind: GeneratedTest['kind'];
  readonly id: string;
  readonly label: string;
  readonly runs: readonly MiningRun[];
  readonly frequency: number;
  /** Span names that end in ERROR in every run of an error pattern: the file must expect them. */
  readonly errorNames: readonly string[];
  /** Root span names of a common path: the file must assert them (else it says nothing about the path). */
  readonly roots: readonly string[];
}

const hasError = (run: MiningRun) => run.spans.some((s) => s.status.code === 'error');
const pct = (f: number) => `${Math.round(f * 1000) / 10} %`;

/** Structure groups of the runs that went right, with their share of all runs. */
function commonPaths(runs: readonly MiningRun[], minFrequency: number, skipped: SkippedPattern[]): Pattern[] {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const out: Pattern[] = [];
  for (const g of groupByStructure(runs.filter((r) => !hasError(r)))) {
    const frequency = g.runs.length / runs.length;
    const label = `path ${g.id.slice(0, 8)} (${g.roots.join(', ')})`;
    if (frequency < minFrequency) skipped.push({ what: label, reason: `${pct(frequency)} of the runs, under the minimum frequency ${minFrequency}` });
    else out.push({ kind: 'common_path', id: g.id.slice(0, 8), label, runs: g.runs.map((id) => byId.get(id)!), frequency, errorNames: [], roots: g.roots });
  }
  return out;
}

function errorPatternsOf(runs: readonly MiningRun[], minSamples: number, skipped: SkippedPattern[]): Pattern[] {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const out: Pattern[] = [];
  for (const p of errorPatterns(runs)) {
    const label = `error ${p.errors.join('; ')}`;
    if (p.runs.length < minSamples) {
      skipped.push({ what: label, reason: `${p.runs.length} run(s), under min_error_samples ${minSamples}` });
      continue;
    }
    const of = p.runs.map((id) => byId.get(id)!);
    const names = [...new Set(of[0]!.spans.filter((s) => s.status.code === 'error').map((s) => s.name))].sort();
    out.push({ kind: 'error_pattern', id: fnv1a64(p.errors.join('\n')).slice(0, 8), label, runs: of, frequency: p.frequency, errorNames: names, roots: [] });
  }
  return out;
}

function serviceNames(runs: readonly MiningRun[]): string[] {
  return [...new Set(runs.flatMap((r) => r.spans.map((s) => s.serviceName)).filter((n): n is string => Boolean(n)))].sort();
}

/** The file before any expectation: header comment, [meta] with provenance, a scenario to fill in. */
function skeleton(p: Pattern, confidence: number): string {
  const roots = [...new Set(p.runs[0]!.spans.filter((s) => s.parentSpanId === undefined).map((s) => s.name))].sort();
  const services = serviceNames(p.runs);
  const what = p.kind === 'common_path' ? `the path rooted at ${roots.join(', ')}` : `the error pattern ${p.label.slice(6)}`;
  const meta: [string, unknown][] = [
    ['name', `generated ${p.kind === 'common_path' ? 'path' : 'error'} ${p.id}`],
    ['description', `${what}: learned from ${p.runs.length} run(s), ${pct(p.frequency)} of those given`],
    ['generated_by', GENERATED_BY],
    ['source_traces', p.runs.map((r) => r.id)],
    ['confidence', confidence],
  ];
  return [
    `# Generated by \`${GENERATED_BY}\`: ${what}.`,
    '# Every expectation below held in each run it was learned from (`clnrm analyze THIS --traces RUN` shows it).',
    `# To run it against containers: declare the services that emitted these spans (${services.join(', ') || 'none named'})`,
    '# as [service.<name>] tables with their images, and replace the scenario command with one that drives this path.',
    '',
    '[meta]',
    ...meta.map(([k, v]) => `${tomlKey(k)} = ${tomlValue(v)}`),
    '',
    '[[scenario]]',
    `name = ${tomlValue(p.kind === 'common_path' ? 'path' : 'error')}`,
    '# Fails until replaced: a generated test must not pass without the system under test.',
    'run = "false"',
    '',
  ].join('\n');
}

/** Why a file for this pattern is not written, or its text and confidence. */
function buildFile(p: Pattern, options: GenerateOptions): { text: string; confidence: number; expectations: number } | { reason: string } {
  const minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  const report = suggestAssertions(p.runs, { minConfidence, minSupport: options.minSupport ?? DEFAULT_MIN_SUPPORT, bufferFactor: options.bufferFactor ?? DEFAULT_BUFFER_FACTOR });
  const chosen: Suggestion[] = report.suggestions.filter((s) => options.kinds.has('performance_baseline') || s.kind !== 'duration');
  if (chosen.length === 0) return { reason: `nothing holds at confidence ≥ ${minConfidence} in ${p.runs.length} run(s)` };
  const unexpected = p.errorNames.filter((name) => !chosen.some((s) => s.edit.type === 'key' && s.edit.table === 'expect.status.by_name' && s.edit.key === name && s.edit.value === 'ERROR'));
  if (unexpected.length) return { reason: `the ERROR of ${unexpected.join(', ')} is not asserted at confidence ≥ ${minConfidence} from ${p.runs.length} run(s)` };
  const rootless = p.roots.filter((name) => !chosen.some((s) => s.kind === 'span' && s.edit.type === 'entry' && s.edit.entries.name === name));
  if (rootless.length) return { reason: `its root span ${rootless.join(', ')} is not asserted at confidence ≥ ${minConfidence} from ${p.runs.length} run(s)` };
  const confidence = Math.floor(Math.min(...chosen.map((s) => s.confidence)) * 10_000) / 10_000;
  const applied = applySuggestions(skeleton(p, confidence), chosen, `${p.kind}-${p.id}`);
  if (!applied.ok) return { reason: `the expectations cannot be written: ${applied.problem.message}` };
  return { text: applied.text, confidence, expectations: applied.written.length };
}

/** Re-validates the text and evaluates it on its source runs: the reason it is refused, if any. */
function refusal(text: string, fileName: string, runs: readonly MiningRun[]): string | undefined {
  const parsed = parseTestFile(text, { file: fileName });
  if (parsed.errors.length) return `it would not validate: ${parsed.errors[0]!.message} [${parsed.errors[0]!.code}]`;
  const test = parsed.tests[0]!;
  for (const run of runs) {
    const failed = evaluateExpectations(run.spans, { expect: test.expect, temporal: test.orchestration?.temporal, distributed: test.orchestration?.distributed_tracing }).find((r) => !r.passed);
    if (failed) return `${failed.expectation} fails on run ${run.id} it was learned from: ${failed.message}`;
  }
  return undefined;
}

export function generateTests(allRuns: readonly MiningRun[], options: GenerateOptions): GenerationReport {
  const runs = options.service === undefined ? allRuns : allRuns.map((r) => ({ id: r.id, spans: r.spans.filter((s) => s.serviceName === options.service) }));
  const skipped: SkippedPattern[] = [];
  const patterns = [
    ...(options.kinds.has('common_path') ? commonPaths(runs, options.minFrequency ?? DEFAULT_MIN_FREQUENCY, skipped) : []),
    ...(options.kinds.has('error_pattern') ? errorPatternsOf(runs, options.minErrorSamples ?? 1, skipped) : []),
  ];
  const files: GeneratedTest[] = [];
  for (const p of patterns) {
    const fileName = `${p.kind === 'common_path' ? 'path' : 'error'}-${p.id}.clnrm.toml`;
    const built = buildFile(p, options);
    const reason = 'reason' in built ? built.reason : refusal(built.text, fileName, p.runs);
    if (reason !== undefined || 'reason' in built) skipped.push({ what: p.label, reason: reason! });
    else files.push({ fileName, kind: p.kind, text: built.text, runs: p.runs.map((r) => r.id), frequency: p.frequency, confidence: built.confidence, expectations: built.expectations });
  }
  return { runs: runs.length, files, skipped };
}
