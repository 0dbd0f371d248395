// Suite files: a `.clnrm.toml` with `[suite]` is a suite, not a test. `parseSuiteFile` checks it like a
// test file (schema with file:line:col, unknown keys with did-you-mean) and resolves each
// `[release.confidence]` key to the scenario it weighs:
//   - `scenario_<N>_pass` (clnrm's spelling, `scenario_01_pass`): the N-th `[[suite.scenario]]`, 1-based;
//   - otherwise a scenario's `name`, or that name followed by `_pass`.
// A key that names no scenario, or a second key for the same scenario, is an error (`spec.reference`).
import type { Problem } from '../errors';
import { issuesToProblems } from './issues';
import { Locator } from './locate';
import { formatPath, type PathSegment } from './path';
import { suiteFileSchema, type RawSuiteFile, type SuiteReportSection } from './schema/suite';
import { didYouMean } from './suggest';
import { parseToml } from './toml-parse';
import { findUnknownKeys } from './unknown-keys';

export interface SuiteScenario {
  /** 1-based position in `[[suite.scenario]]`. */
  readonly position: number;
  readonly name: string;
  /** As written: relative to the suite file. */
  readonly file: string;
  readonly description?: string;
  /** The scenario's `required`, or its confidence entry's `required` (either makes it required). */
  readonly required: boolean;
  readonly timeoutMs?: number;
  /** Its `[release.confidence]` weight; 0 when no key names it (1 each when the suite has no weights). */
  readonly weight: number;
  readonly confidenceKey?: string;
}

export type CriterionValue = boolean | number | string;

export interface SuiteFile {
  readonly file?: string;
  /** `[meta] name`, else `[suite] name`. */
  readonly name: string;
  readonly suiteName: string;
  readonly version?: string;
  readonly parallel: boolean;
  readonly failFast: boolean;
  readonly timeoutMs?: number;
  readonly scenarios: SuiteScenario[];
  readonly expectSuite: NonNullable<NonNullable<RawSuiteFile['expect']>['suite']>;
  /** `[release.criteria]` in file order. */
  readonly criteria: [string, CriterionValue][];
  readonly report?: SuiteReportSection;
}

export interface SuiteParseResult {
  readonly suite?: SuiteFile;
  readonly errors: Problem[];
  readonly warnings: Problem[];
}

const POSITIONAL_KEY = /^scenario_0*(\d+)_pass$/;
const minutesToMs = (m: number | undefined) => (m === undefined ? undefined : Math.round(m * 60_000));

function isTable(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
}

/** True when the text is TOML with a top-level `[suite]` table. */
export function isSuiteSource(source: string): boolean {
  if (!/^\s*\[\s*suite\s*[\].]/m.test(source)) return false;
  const parsed = parseToml(source);
  return parsed.ok && isTable(parsed.value.suite);
}

/** The 0-based index of the scenario a confidence key weighs, or undefined (see the rule above). */
export function confidenceTarget(key: string, names: readonly string[]): number | undefined {
  const positional = POSITIONAL_KEY.exec(key);
  if (positional) {
    const n = Number(positional[1]);
    return n >= 1 && n <= names.length ? n - 1 : undefined;
  }
  const byName = names.findIndex((name) => key === name || key === `${name}_pass`);
  return byName >= 0 ? byName : undefined;
}

export function parseSuiteFile(source: string, file?: string): SuiteParseResult {
  const parsed = parseToml(source, file);
  if (!parsed.ok) return { errors: [parsed.problem], warnings: [] };
  const locator = new Locator(source);
  const result = suiteFileSchema.safeParse(parsed.value, { reportInput: true });
  const warnings = findUnknownKeys(parsed.value, suiteFileSchema, locator, file);
  if (!result.success) return { errors: issuesToProblems(result.error.issues, locator, file), warnings };
  const errors: Problem[] = [];
  const at = (into: Problem[], code: Problem['code'], segments: PathSegment[], message: string): void => {
    const loc = locator.key(segments);
    into.push({ code, message, file, line: loc.line, column: loc.column, path: formatPath(segments) });
  };
  const doc = result.data;
  checkScenarioList(doc, (segments, message) => at(errors, 'toml.shape', segments, message));
  const weights = resolveConfidence(doc, (segments, message) => at(errors, 'spec.reference', segments, message));
  adviseSuite(doc, (segments, message) => at(warnings, 'spec.not-yet', segments, message));
  const byPosition = (a: Problem, b: Problem) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
  if (errors.length > 0) return { errors: errors.sort(byPosition), warnings: warnings.sort(byPosition) };
  return { suite: normaliseSuite(doc, weights, file), errors, warnings: warnings.sort(byPosition) };
}

function checkScenarioList(doc: RawSuiteFile, error: (segments: PathSegment[], message: string) => void): void {
  const names = new Set<string>();
  const files = new Set<string>();
  doc.suite.scenario.forEach((s, i) => {
    if (names.has(s.name)) error(['suite', 'scenario', i, 'name'], `two [[suite.scenario]] entries are named "${s.name}": give each its own name`);
    // Results are matched to scenarios by file, so a file listed twice would be judged twice on one run.
    if (files.has(s.file)) error(['suite', 'scenario', i, 'file'], `"${s.file}" is listed twice: list each scenario file once`);
    if (!s.file.endsWith('.toml')) error(['suite', 'scenario', i, 'file'], `"${s.file}" is not a .toml file: name a test file like "scenario_01.clnrm.toml"`);
    names.add(s.name);
    files.add(s.file);
  });
}

interface Weight {
  readonly key: string;
  readonly weight: number;
  readonly required: boolean;
}

/** Confidence key → scenario index; reports keys that name no scenario or repeat one. */
function resolveConfidence(doc: RawSuiteFile, error: (segments: PathSegment[], message: string) => void): Map<number, Weight> {
  const names = doc.suite.scenario.map((s) => s.name);
  const out = new Map<number, Weight>();
  const confidence = doc.release?.confidence ?? {};
  for (const [key, entry] of Object.entries(confidence)) {
    const target = confidenceTarget(key, names);
    if (target === undefined) {
      const suggestion = didYouMean(key, [...names.map((n) => `${n}_pass`), ...names.map((_, i) => `scenario_${String(i + 1).padStart(2, '0')}_pass`)]);
      error(['release', 'confidence', key], `\`${key}\` weighs no scenario: use scenario_<N>_pass for the N-th of the ${names.length} [[suite.scenario]] entries, or a scenario's name (optionally followed by _pass)${suggestion}`);
      continue;
    }
    const before = out.get(target);
    if (before) {
      error(['release', 'confidence', key], `\`${key}\` and \`${before.key}\` both weigh scenario ${target + 1} ("${names[target]}"): keep one`);
      continue;
    }
    out.set(target, { key, weight: entry.weight, required: entry.required ?? false });
  }
  const total = [...out.values()].reduce((sum, w) => sum + w.weight, 0);
  if (Object.keys(confidence).length > 0 && out.size === Object.keys(confidence).length && total === 0) {
    error(['release', 'confidence'], 'the weights add up to 0: give the scenarios positive weights');
  }
  return out;
}

/** Suite-level sections that only each scenario file's own sections act on: said, never silently ignored. */
function adviseSuite(doc: RawSuiteFile, warn: (segments: PathSegment[], message: string) => void): void {
  const perFile = (section: string) => `[${section}] in a suite file is not applied to its scenarios: each scenario file's own [${section}] applies`;
  for (const section of ['limits', 'cleanup', 'otel', 'determinism'] as const) if (doc[section]) warn([section], perFile(section));
  if (doc.report?.verdict?.show_recommendations) warn(['report', 'verdict', 'show_recommendations'], 'the suite verdict gives no recommendations yet: show_recommendations is not acted on');
  if (doc.report?.html) warn(['report', 'html'], 'HTML suite reports are not built: the JSON and JUnit reports carry the same verdict');
}

function normaliseSuite(doc: RawSuiteFile, weights: ReadonlyMap<number, Weight>, file?: string): SuiteFile {
  // Without [release.confidence] every scenario weighs the same.
  const weighted = doc.release?.confidence !== undefined;
  const scenarios = doc.suite.scenario.map((s, i): SuiteScenario => {
    const w = weights.get(i);
    const timeoutMs = minutesToMs(s.timeout_minutes);
    return {
      position: i + 1,
      name: s.name,
      file: s.file,
      ...(s.description !== undefined ? { description: s.description } : {}),
      required: (s.required ?? true) || (w?.required ?? false),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      weight: weighted ? (w?.weight ?? 0) : 1,
      ...(w ? { confidenceKey: w.key } : {}),
    };
  });
  const timeoutMs = minutesToMs(doc.suite.timeout_minutes);
  return {
    ...(file !== undefined ? { file } : {}),
    name: doc.meta?.name ?? doc.suite.name,
    suiteName: doc.suite.name,
    ...(doc.meta?.version !== undefined ? { version: doc.meta.version } : {}),
    parallel: doc.suite.parallel ?? false,
    failFast: doc.suite.fail_fast ?? false,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    scenarios,
    expectSuite: doc.expect?.suite ?? {},
    criteria: Object.entries(doc.release?.criteria ?? {}),
    ...(doc.report ? { report: doc.report } : {}),
  };
}
