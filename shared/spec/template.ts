// Template rendering for `.clnrm.toml` files that contain `{{`, `{%` or `{#` (clnrm uses Tera; we use
// nunjucks configured like it: no autoescape, undefined values are errors).
//
// Variables, highest precedence first: `[vars]`, the environment, clnrm's defaults (svc, env, endpoint,
// exporter, image, freeze_clock, token). `[vars]` may itself use templates, so files render twice: a
// lenient first pass (unset env() → "", undefined → "") is parsed only to read `[vars]`, `[matrix]` and
// `[determinism]`; the strict second pass renders the file with those values. Values are exposed at the
// top level and under `vars.`; matrix values under `matrix.`.
import nunjucks from 'nunjucks';
import type { Problem } from '../errors';

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

export interface RenderInput {
  source: string;
  env: Record<string, string | undefined>;
  vars?: Record<string, unknown>;
  matrix?: Record<string, unknown>;
  /** `[determinism].freeze_clock`, returned by now_rfc3339(). */
  frozenClock?: string;
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

export function renderTemplate(input: RenderInput): RenderResult {
  const { source, env, lenient = false, file } = input;
  const environment = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: !lenient });
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
  environment.addGlobal('now_rfc3339', () => input.frozenClock ?? new Date().toISOString());

  environment.addGlobal('now_unix', () => Math.floor(Date.parse(input.frozenClock ?? new Date().toISOString()) / 1000));

  const context: Record<string, unknown> = {};
  for (const [name, [envName, fallback]] of Object.entries(DEFAULT_VARIABLES)) context[name] = env[envName] ?? fallback;
  // Tera keeps functions and variables apart, nunjucks does not: the default variable `env` would hide
  // the env() function. So `env` is the function, and prints as the variable's value.
  const envFunction = environment.getGlobal('env') as (...args: unknown[]) => unknown;
  const callable = (text: string) => Object.assign((...args: unknown[]) => envFunction(...args), { toString: () => text, valueOf: () => text });
  const vars = { ...context, ...(input.vars ?? {}) };
  Object.assign(context, input.vars ?? {});
  context.vars = vars;
  if (['string', 'number', 'boolean'].includes(typeof context.env)) context.env = callable(String(context.env));
  context.matrix = input.matrix ?? {};

  try {
    return { ok: true, text: environment.renderString(source, context) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const where = /\[Line (\d+), Column (\d+)\]/.exec(message);
    let line = where ? Number(where[1]) : undefined;
    let column = where ? Number(where[2]) : undefined;
    const detail = message.split('\n').slice(1).join(' ').trim().replace(/^Error: /, '') || message;
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
    let text = detail;
    if (/output null or undefined/.test(detail) && line !== undefined) {
      const srcLine = source.split('\n')[line - 1] ?? '';
      const expr = /\{\{\s*([^}]*?)\s*\}\}/.exec(srcLine.slice(Math.max(0, (column ?? 1) - 1)))?.[1];
      text = `\`${expr ?? 'value'}\` is undefined: define it in [vars] or the environment`;
    }
    return { ok: false, problem: { code: 'toml.template', message: `template error: ${text}`, file, line, column } };
  }
}
