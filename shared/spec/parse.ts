// `parseTestFile`: TOML text → one typed TestFile per matrix combination, with every problem of the
// file (syntax, shape, common mistakes, references) as errors and unknown keys as warnings, each with
// a line and column. Order: template render → TOML parse → common mistakes → schema → unknown keys →
// whole-document checks → normalise.
import type { z } from 'zod';
import type { Problem } from '../errors';
import { Locator } from './locate';
import { findCommonMistakes } from './mistakes';
import { issuesToProblems } from './issues';
import { combinationCount, combinationLabel, expandMatrix, readMatrix, type Combination } from './matrix';
import { normalise } from './normalise';
import { testFileSchema, type RawTestFile } from './schema/root';
import { checkDocument } from './checks';
import { adviseDocument } from './advisories';
import { hostAccessWarnings } from './host-access';
import { isTemplate, renderTemplate } from './template';
import { parseToml } from './toml-parse';
import type { ParseOptions, ParseResult, TestFile } from './types';
import { findUnknownKeys } from './unknown-keys';

interface Analysis {
  doc?: RawTestFile;
  errors: Problem[];
  warnings: Problem[];
}

/**
 * Validates one concrete TOML text (already rendered). Each top-level section is checked on its own
 * so a bad section does not hide problems elsewhere: whole-document checks (references, names) still
 * run over the sections that are valid.
 */
export function analyseToml(text: string, file?: string, home?: string): Analysis {
  const parsed = parseToml(text, file);
  if (!parsed.ok) return { errors: [parsed.problem], warnings: [] };
  const locator = new Locator(text);
  const mistakes = findCommonMistakes(parsed.value, locator, file);
  const errors = [...mistakes.errors];
  const valid: Record<string, unknown> = {};
  const invalidSections = new Set<string>();
  const shape = testFileSchema.shape as Record<string, z.ZodType>;
  for (const [key, value] of Object.entries(parsed.value)) {
    const schema = shape[key];
    if (!schema) continue; // unknown top-level key: a warning from findUnknownKeys
    const result = schema.safeParse(value, { reportInput: true });
    if (result.success) valid[key] = result.data;
    else {
      invalidSections.add(key);
      const issues = result.error.issues.map((i) => ({ ...i, path: [key, ...i.path] }));
      errors.push(...issuesToProblems(issues, locator, file, mistakes.covered));
    }
    if (mistakes.covered.some((c) => c === key || c.startsWith(`${key}.`) || c.startsWith(`${key}[`))) invalidSections.add(key);
  }
  const declaredIds = ['service', 'services'].flatMap((t) => (isTable(parsed.value[t]) ? Object.keys(parsed.value[t]) : []));
  errors.push(...checkDocument(valid as RawTestFile, locator, file, invalidSections, declaredIds));
  const advice = adviseDocument(valid as RawTestFile, locator, file);
  const hostRisks = hostAccessWarnings(valid as RawTestFile, locator, file, home);
  const warnings = byPosition([...mistakes.warnings, ...findUnknownKeys(parsed.value, testFileSchema, locator, file), ...advice, ...hostRisks]);
  return { doc: errors.length === 0 ? (valid as RawTestFile) : undefined, errors: byPosition(errors), warnings };
}

function byPosition(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

function addUnique(into: Problem[], more: Problem[], seen: Set<string>): void {
  for (const p of more) {
    const key = `${p.code}|${p.line}|${p.column}|${p.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      into.push(p);
    }
  }
}

function concrete(doc: RawTestFile, text: string, combo: Combination, file?: string): TestFile {
  const test = normalise(doc, text, file);
  test.matrix = combo;
  test.name = `${test.name}${combinationLabel(combo)}`;
  return test;
}

export function parseTestFile(source: string, options: ParseOptions = {}): ParseResult {
  const { file, env = {}, maxCombinations = 256 } = options;
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const seen = new Set<string>();
  const tests: TestFile[] = [];

  if (!isTemplate(source)) {
    const analysis = analyseToml(source, file, env.HOME);
    addUnique(errors, analysis.errors, seen);
    addUnique(warnings, analysis.warnings, seen);
    if (!analysis.doc) return { tests: [], errors, warnings };
    const matrix = readMatrix(analysis.doc.matrix);
    if (matrix && combinationCount(matrix) > maxCombinations) {
      return { tests: [], errors: [tooMany(combinationCount(matrix), maxCombinations, source, file)], warnings };
    }
    for (const combo of expandMatrix(matrix)) tests.push(concrete(analysis.doc, source, combo, file));
    return { tests, errors, warnings };
  }

  // First, lenient pass: only to learn [vars], [matrix] and [determinism] (see template.ts).
  // Both passes share one seed, so a random function in [vars] (`run_id = "{{ uuid_v4() }}"`) has the
  // same value where the file reads it back; `[determinism] seed` makes every render repeat.
  let seed = Math.floor(Math.random() * 0x7fffffff);
  let first = renderTemplate({ source, env, lenient: true, file, seed });
  // The lenient pass fails only on what no variable can fix (syntax, unknown functions): report that.
  if (!first.ok) return { tests: [], errors: [first.problem], warnings };
  let firstParsed = parseToml(first.text);
  const declaredSeed = firstParsed.ok ? seedOf(firstParsed.value) : undefined;
  if (declaredSeed !== undefined && declaredSeed !== seed) {
    seed = declaredSeed;
    first = renderTemplate({ source, env, lenient: true, file, seed });
    if (!first.ok) return { tests: [], errors: [first.problem], warnings };
    firstParsed = parseToml(first.text);
  }
  const firstValue: Record<string, unknown> = firstParsed.ok ? firstParsed.value : {};
  const legacyVars = isTable(firstValue.template) && isTable(firstValue.template.vars) ? firstValue.template.vars : {};
  const vars = { ...legacyVars, ...(isTable(firstValue.vars) ? firstValue.vars : {}) };
  const matrix = readMatrix(firstValue.matrix);
  // `[template.matrix]` (clnrm's template examples) is data for loops, not a test matrix: exposed as
  // `matrix` to templates when there is no `[matrix]`, without expanding into several tests.
  const matrixData = !matrix && isTable(firstValue.template) && isTable(firstValue.template.matrix) ? firstValue.template.matrix : undefined;
  const frozenClock = isTable(firstValue.determinism) && typeof firstValue.determinism.freeze_clock === 'string' ? firstValue.determinism.freeze_clock : undefined;
  if (matrix && combinationCount(matrix) > maxCombinations) {
    return { tests: [], errors: [tooMany(combinationCount(matrix), maxCombinations, source, file)], warnings };
  }

  const sourceLines = source.split('\n').length;
  let templateScan: Locator | undefined;
  const templateLocator = () => (templateScan ??= new Locator(source));
  for (const combo of expandMatrix(matrix)) {
    const rendered = renderTemplate({ source, env, vars, matrix: matrixData ?? combo, frozenClock, file, seed });
    if (!rendered.ok) {
      // A first pass that was not valid TOML could not supply [vars]: that is the root cause to show.
      if (!firstParsed.ok) {
        addUnique(errors, [{ ...firstParsed.problem, file, message: `${firstParsed.problem.message} (in the rendered template, so [vars] could not be read)` }], seen);
      }
      addUnique(errors, [rendered.problem], seen);
      continue;
    }
    const analysis = analyseToml(rendered.text, file, env.HOME);
    // Positions are in the rendered text. When rendering changed the line count, a key that is written
    // literally in the template is pointed at there; otherwise the message says the position is in the
    // rendered text.
    const shifted = rendered.text.split('\n').length !== sourceLines;
    const mark = (p: Problem): Problem => (shifted ? toTemplatePosition(p, rendered.text, templateLocator()) : p);
    addUnique(errors, analysis.errors.map(mark), seen);
    addUnique(warnings, analysis.warnings.map(mark), seen);
    if (analysis.doc) tests.push(concrete(analysis.doc, rendered.text, combo, file));
  }
  return { tests: errors.length === 0 ? tests : [], errors, warnings };
}

function toTemplatePosition(p: Problem, renderedText: string, template: Locator): Problem {
  if (p.path !== undefined && p.path !== '' && template.has(p.path)) {
    const rendered = new Locator(renderedText);
    const atValue = rendered.value(p.path);
    const wasValue = atValue.line === p.line && atValue.column === p.column;
    const loc = wasValue ? template.value(p.path) : template.key(p.path);
    return { ...p, line: loc.line, column: loc.column };
  }
  return { ...p, message: `${p.message} (position in the rendered template)` };
}

function tooMany(count: number, max: number, source: string, file?: string): Problem {
  const loc = new Locator(source).key('matrix');
  return {
    code: 'toml.shape',
    message: `[matrix] expands to ${count} combinations, more than the ${max} allowed: list fewer values`,
    file,
    line: loc.line,
    column: loc.column,
    path: 'matrix',
  };
}

function isTable(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
}

/** `[determinism] seed` as a whole number, when the file gives one. */
function seedOf(value: Record<string, unknown>): number | undefined {
  const determinism = value.determinism;
  if (!isTable(determinism)) return undefined;
  const seed = determinism.seed;
  return typeof seed === 'number' && Number.isSafeInteger(seed) ? seed : undefined;
}
