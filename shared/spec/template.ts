// Template rendering for `.clnrm.toml` files that contain `{{`, `{%` or `{#` (clnrm uses Tera; we use
// nunjucks configured like it: no autoescape, undefined values are errors).
//
// Variables, highest precedence first: `[vars]`, the environment, clnrm's defaults (svc, env, endpoint,
// exporter, image, freeze_clock, token). `[vars]` may itself use templates, so files render twice: a
// lenient first pass (unset env() → "", undefined → "") is parsed only to read `[vars]`, `[matrix]` and
// `[determinism]`; the strict second pass renders the file with those values. Values are exposed at the
// top level and under `vars.`; matrix values under `matrix.`.
//
// clnrm's other functions and filters live in template-functions.ts, template-fake.ts and
// template-filters.ts; Tera syntax nunjucks reads differently is translated in template-syntax.ts.
// Templates are untrusted: template-guard.ts refuses every way out of the data and bounds the work.
import nunjucks from 'nunjucks';
import type { Problem } from '../errors';
import { SeedSource, TemplateArgError, readArgs } from './template-args';
import { FAKE_FUNCTIONS } from './template-fake';
import { MAX_TEMPLATE_OUTPUT, RenderBudget, TemplateGuardError, budgetedRange, checkTemplate, outputLimit, plainData, withBudget } from './template-guard';
import { TERA_FILTER_NAMES, addTeraFilters } from './template-filters';
import { type FunctionContext, TEMPLATE_FUNCTIONS, type TemplateFunction } from './template-functions';
import { callPosition, explainTemplateError, positionOf, translateTera } from './template-syntax';

export function isTemplate(source: string): boolean {
  return source.includes('{{') || source.includes('{%') || source.includes('{#');
}

/** clnrm's default variables: name → [environment variable, default]. */
export const DEFAULT_VARIABLES: Readonly<Record<string, readonly [string, string]>> = {
  svc: ['SERVICE_NAME', 'clnrm'],
  env: ['ENV', 'ci'],
  endpoint: ['OTEL_ENDPOINT', 'http://localhost:4318'],
  exporter: ['OTEL_TRACES_EXPORTER', 'otlp'],
  image: ['CLNRM_IMAGE', 'registry/clnrm:1.0.0'],
  freeze_clock: ['FREEZE_CLOCK', '2025-01-01T00:00:00Z'],
  token: ['OTEL_TOKEN', ''],
};

// nunjucks's own filters, for "did you mean" on an unknown one.
const NUNJUCKS_FILTERS = (
  'abs batch capitalize center dictsort dump escape first float groupby indent int join last length list lower nl2br ' +
  'random reject rejectattr replace reverse round safe select selectattr slice sort string striptags sum title trim ' +
  'truncate upper urlencode urlize wordcount'
).split(' ');

export interface RenderInput {
  source: string;
  env: Record<string, string | undefined>;
  vars?: Record<string, unknown>;
  matrix?: Record<string, unknown>;
  /** `[determinism].freeze_clock`: now_rfc3339() returns it, the other clock functions read it. */
  frozenClock?: string;
  /** `[determinism].seed`: random functions without their own `seed=` repeat from render to render. */
  seed?: number;
  /** Lenient first pass: unknown values render empty and env() of an unset name renders "". */
  lenient?: boolean;
  file?: string;
}

export type RenderResult = { ok: true; text: string } | { ok: false; problem: Problem };

function keywordOrPositional(args: unknown[], key: string): unknown {
  const last = args[args.length - 1] as Record<string, unknown> | undefined;
  if (last && typeof last === 'object' && (last as { __keywords?: boolean }).__keywords) return last[key] ?? args[0];
  return args[0];
}

function lineOfCall(source: string, name: string): number | undefined {
  const lines = source.split('\n');
  const index = lines.findIndex((l) => /env\s*\(/.test(l) && (l.includes(`"${name}"`) || l.includes(`'${name}'`)));
  return index < 0 ? undefined : index + 1;
}

/**
 * Where a refusal while rendering happened. nunjucks records the position (0-based) only at calls, so
 * a refused attribute is looked up in the source: `.name`, else the first computed `x[…]`.
 */
function guardPosition(source: string, guard: TemplateGuardError, line?: number, column?: number): { line?: number; column?: number } {
  if (guard.attribute === undefined) return line === undefined ? {} : { line: line + 1, column: column === undefined ? undefined : column + 1 };
  const dotted = source.search(new RegExp(`\\.${guard.attribute.replace(/[^\w$]/g, '')}\\b`));
  const computed = /\{[{%][^}]*?[\w\])]\s*\[/.exec(source);
  const at = dotted >= 0 ? dotted : computed ? computed.index + computed[0].length - 1 : -1;
  return at >= 0 ? positionOf(source, at) : {};
}

export function renderTemplate(input: RenderInput): RenderResult {
  const { source, env, lenient = false, file } = input;
  const environment = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: !lenient });
  // No prototype behind the names a template can look up (`x | constructor`, `{{ hasOwnProperty }}`).
  for (const table of ['globals', 'filters', 'tests'] as const) Object.setPrototypeOf((environment as unknown as Record<string, object>)[table], null);
  environment.addGlobal('range', budgetedRange);
  let unsetName: string | undefined;
  environment.addGlobal('env', (...args: unknown[]) => {
    const name = String(keywordOrPositional(args, 'name') ?? '');
    const value = env[name];
    const last = args[args.length - 1] as { __keywords?: boolean; default?: unknown } | undefined;
    // Tera's env() takes a default: env(name="X", default="y").
    if (value === undefined && last?.__keywords && last.default !== undefined) return String(last.default);
    if (value === undefined) {
      if (lenient) return '';
      unsetName = name;
      throw new Error(`environment variable ${name} is not set`);
    }
    return value;
  });
  const functionContext: FunctionContext = { seeds: new SeedSource(input.seed), frozenClock: input.frozenClock, counters: new Map() };
  // A bad argument is the render's error; the lenient pass (arguments may be [vars] not read yet)
  // renders it empty instead.
  let argError: { error: Error; name: string; filter: boolean } | undefined;
  const fail = (name: string, filter: boolean) => (error: unknown): unknown => {
    if (!(error instanceof TemplateArgError)) throw error;
    if (lenient) return '';
    argError ??= { error, name, filter };
    throw error;
  };
  const functions: Record<string, TemplateFunction> = { ...TEMPLATE_FUNCTIONS, ...FAKE_FUNCTIONS };
  for (const [name, fn] of Object.entries(functions)) {
    environment.addGlobal(name, (...raw: unknown[]) => {
      const args = readArgs(raw, fn.params);
      try {
        return fn.call(args, functionContext);
      } catch (error) {
        // Tera ignores unknown keywords; name them, they are the usual cause (`pick(array=…)`).
        const unknown = Object.keys(args).filter((k) => !fn.params.includes(k));
        const hint = unknown.length > 0 ? ` (unknown argument ${unknown.map((k) => `\`${k}\``).join(', ')}; ${name}() takes ${fn.params.join(', ') || 'no arguments'})` : '';
        return fail(name, false)(error instanceof TemplateArgError && hint ? new TemplateArgError(error.message + hint) : error);
      }
    });
  }
  addTeraFilters(environment, (name) => fail(name, true));
  environment.addFilter('lenient_value', (value: unknown) => (value === undefined || value === null || Number.isNaN(value) ? 0 : value));

  const context: Record<string, unknown> = {};
  for (const [name, [envName, fallback]] of Object.entries(DEFAULT_VARIABLES)) context[name] = env[envName] ?? fallback;
  // Tera keeps functions and variables apart, nunjucks does not: the default variable `env` would hide
  // the env() function. So `env` is the function, and prints as the variable's value.
  const envFunction = environment.getGlobal('env') as (...args: unknown[]) => unknown;
  const callable = (text: string) => Object.assign((...args: unknown[]) => envFunction(...args), { toString: () => text, valueOf: () => text });
  // Values are null-prototype copies: no path from them to a prototype or constructor.
  const given = plainData(input.vars ?? {}) as Record<string, unknown>;
  const vars = Object.assign(Object.create(null) as Record<string, unknown>, context, given);
  Object.assign(context, given);
  context.vars = vars;
  if (['string', 'number', 'boolean'].includes(typeof context.env)) context.env = callable(String(context.env));
  context.matrix = plainData(input.matrix ?? {});
  // Tera spells booleans true/false and True/False; nunjucks knows only the lower-case ones.
  context.True = true;
  context.False = false;

  const translated = translateTera(source);
  if (translated.problem) {
    return { ok: false, problem: { code: 'toml.template', message: `template error: ${translated.problem.message}`, file, ...positionOf(source, translated.problem.index) } };
  }
  const refusal = checkTemplate(translated.text);
  if (refusal) return { ok: false, problem: { code: 'template.unsafe', message: `template refused: ${refusal.message}`, file, line: refusal.line, column: refusal.column } };

  const callables = Object.values((environment as unknown as { globals: Record<string, unknown> }).globals).filter((v) => typeof v === 'function') as object[];
  if (typeof context.env === 'function') callables.push(context.env);
  let budget = new RenderBudget();
  const render = (text: string): string => {
    budget = new RenderBudget();
    for (const fn of callables) budget.callable.add(fn);
    const out = withBudget(budget, () => environment.renderString(text, context));
    if (out.length > MAX_TEMPLATE_OUTPUT) throw outputLimit();
    return out;
  };
  if (lenient) {
    // Undefined values as `0` keep the first pass valid TOML (see template-syntax.ts); if that render
    // fails, the plain render below reports the error at the template's own columns.
    try {
      return { ok: true, text: render(translated.lenientText) };
    } catch {
      functionContext.counters.clear();
    }
  }
  try {
    return { ok: true, text: render(translated.text) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const where = /\[Line (\d+), Column (\d+)\]/.exec(message);
    let line = where ? Number(where[1]) : undefined;
    let column = where ? Number(where[2]) : undefined;
    const detail = message.split('\n').slice(1).join(' ').trim().replace(/^Error: /, '') || message;
    const guard = error instanceof TemplateGuardError ? error : budget.failure ?? (/Invalid string length/.test(message) ? outputLimit() : undefined);
    if (guard) {
      const verb = guard.code === 'template.limit' ? 'stopped' : 'refused';
      return { ok: false, problem: { code: guard.code, message: `template ${verb}: ${guard.message}`, file, ...guardPosition(source, guard, line, column) } };
    }
    if (unsetName !== undefined) {
      line = lineOfCall(source, unsetName) ?? (line !== undefined ? line + 1 : undefined);
      const col = line !== undefined ? (source.split('\n')[line - 1] ?? '').search(/\benv\s*\(/) + 1 : 0;
      return {
        ok: false,
        problem: {
          code: 'toml.env-unset',
          message: `env("${unsetName}") is used but the environment variable ${unsetName} is not set; set it or give a default in [vars]`,
          file,
          line,
          column: col > 0 ? col : column,
        },
      };
    }
    // nunjucks reports failed function calls with 0-based positions (other errors are 1-based).
    if (/^Unable to call/.test(detail) && line !== undefined) {
      line += 1;
      column = column === undefined ? undefined : column + 1;
    }
    if (argError !== undefined) {
      const at = callPosition(source, argError.name, argError.filter, line) ?? { line, column };
      return { ok: false, problem: { code: 'toml.template', message: `template error: ${argError.error.message}`, file, ...at } };
    }
    const unknownFunction = /^Unable to call `(\w+)`/.exec(detail)?.[1];
    if (unknownFunction !== undefined) ({ line, column } = callPosition(source, unknownFunction, false, line) ?? { line, column });
    const known = { functions: ['env', ...Object.keys(functions)], filters: [...TERA_FILTER_NAMES, ...NUNJUCKS_FILTERS] };
    const explained = explainTemplateError(detail, source, known, line, column);
    if (explained) return { ok: false, problem: { code: 'toml.template', file, ...explained } };
    let text = detail;
    if (/output null or undefined/.test(detail) && line !== undefined) {
      const srcLine = source.split('\n')[line - 1] ?? '';
      const expr = /\{\{\s*([^}]*?)\s*\}\}/.exec(srcLine.slice(Math.max(0, (column ?? 1) - 1)))?.[1];
      text = `\`${expr ?? 'value'}\` is undefined: define it in [vars] or the environment`;
      if (srcLine.trimStart().startsWith('#')) text += ` (this line is a TOML comment, but templates render comments too: write {{ '{{' }} for a literal \`{{\`)`;
    }
    return { ok: false, problem: { code: 'toml.template', message: `template error: ${text}`, file, line, column } };
  }
}
