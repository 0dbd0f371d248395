// Tera's filters on nunjucks. Tera passes filter arguments by keyword (`default(value="x")`,
// `join(sep=",")`, `truncate(length=5)`); nunjucks's built-ins with the same names take them
// positionally and would print "[object Object]". Each filter here accepts both. Filters nunjucks
// lacks (split, nth, get, concat, trim_start…, json_encode, as_str, slug/kebab/snake/camel/pascal…)
// are added with Tera's behaviour; the tests `starting_with`, `ending_with`, `containing`, `matching`
// and `object` too.
import type nunjucks from 'nunjucks';
import { camel, kebab, pascal, slug, snake } from './template-case';
import { type Args, TemplateArgError, optionalInt, readArgs } from './template-args';
import { TemplateGuardError, isUnsafeProperty } from './template-guard';

type Filter = (value: unknown, args: Args) => unknown;

const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function list(name: string, v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  throw new TemplateArgError(`filter ${name} needs a list, got ${JSON.stringify(v) ?? 'undefined'}`);
}

/** An attribute by name, as `map`/`filter`/`get` read it: data only, like a template's own `x.y` (template-guard.ts). */
function field(value: unknown, key: string): unknown {
  if (isUnsafeProperty(key)) throw new TemplateGuardError('template.unsafe', `\`${key}\` cannot be read in a template: templates read data, never JavaScript's objects`);
  if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
  return (value as Args)[key];
}

function attr(item: unknown, path: unknown): unknown {
  let current = item;
  for (const key of String(path).split('.')) current = field(current, key);
  return current;
}

function roundTo(v: unknown, a: Args): number {
  const n = Number(v);
  const factor = 10 ** optionalInt('round', a, 'precision', 0);
  const method = a.method === undefined ? 'common' : String(a.method);
  const f = { common: Math.round, ceil: Math.ceil, floor: Math.floor }[method];
  if (!f) throw new TemplateArgError(`filter round: method must be "common", "ceil" or "floor", got ${JSON.stringify(a.method)}`);
  return f(n * factor) / factor;
}

function toInt(v: unknown, a: Args): number {
  const fallback = optionalInt('int', a, 'default', 0);
  const base = optionalInt('int', a, 'base', 10);
  const n = typeof v === 'number' ? Math.trunc(v) : parseInt(text(v).trim().replace(/^0[xob]/i, ''), base);
  return Number.isNaN(n) ? fallback : n;
}

/** name → [argument names in Tera's order, implementation]. */
const FILTERS: Record<string, [readonly string[], Filter]> = {
  // Tera: used only when the value is undefined (not when empty or false).
  default: [['value'], (v, a) => (v === undefined ? a.value : v)],
  join: [['sep'], (v, a) => list('join', v).map(text).join(a.sep === undefined ? '' : text(a.sep))],
  truncate: [
    ['length', 'end'],
    (v, a) => {
      const chars = [...text(v)];
      const length = optionalInt('truncate', a, 'length', 255);
      return chars.length <= length ? text(v) : chars.slice(0, length).join('') + (a.end === undefined ? '…' : text(a.end));
    },
  ],
  replace: [['from', 'to'], (v, a) => text(v).split(text(a.from)).join(text(a.to))],
  split: [['pat'], (v, a) => text(v).split(text(a.pat))],
  // nunjucks's positional order (round(2) is a precision); Tera passes keywords.
  round: [['precision', 'method'], roundTo],
  int: [['default', 'base'], toInt],
  float: [['default'], (v, a) => (Number.isNaN(parseFloat(text(v))) ? Number(a.default ?? 0) : parseFloat(text(v)))],
  json_encode: [['pretty'], (v, a) => JSON.stringify(v, null, a.pretty === true ? 2 : undefined)],
  as_str: [[], (v) => text(v)],
  nth: [['n'], (v, a) => list('nth', v)[optionalInt('nth', a, 'n', 0)]],
  get: [['key', 'default'], (v, a) => field(v, text(a.key)) ?? a.default],
  concat: [['with'], (v, a) => list('concat', v).concat(a.with)],
  map: [['attribute'], (v, a) => list('map', v).map((item) => attr(item, a.attribute))],
  filter: [['attribute', 'value'], (v, a) => list('filter', v).filter((item) => (a.value === undefined ? attr(item, a.attribute) != null : attr(item, a.attribute) === a.value))],
  unique: [[], (v) => [...new Set(list('unique', v))]],
  trim_start: [[], (v) => text(v).trimStart()],
  trim_end: [[], (v) => text(v).trimEnd()],
  trim_start_matches: [['pat'], (v, a) => { let s = text(v); const p = text(a.pat); while (p && s.startsWith(p)) s = s.slice(p.length); return s; }],
  trim_end_matches: [['pat'], (v, a) => { let s = text(v); const p = text(a.pat); while (p && s.endsWith(p)) s = s.slice(0, -p.length); return s; }],
  pluralize: [['singular', 'plural'], (v, a) => (Number(v) === 1 ? text(a.singular ?? '') : text(a.plural ?? 's'))],
  linebreaksbr: [[], (v) => text(v).replace(/\r?\n/g, '<br>')],
  spaceless: [[], (v) => text(v).replace(/>\s+</g, '><')],
  slugify: [[], (v) => slug(text(v))],
  slug: [[], (v) => slug(text(v))],
  kebab: [[], (v) => kebab(text(v))],
  snake: [[], (v) => snake(text(v))],
  camel: [[], (v) => camel(text(v))],
  pascal: [[], (v) => pascal(text(v))],
};

export const TERA_FILTER_NAMES: readonly string[] = Object.keys(FILTERS);

/** Adds Tera's filters and tests; `onError` turns a bad argument into the render's error. */
export function addTeraFilters(environment: nunjucks.Environment, onError: (filter: string) => (error: unknown) => unknown): void {
  for (const [name, [params, filter]] of Object.entries(FILTERS)) {
    environment.addFilter(name, (value: unknown, ...raw: unknown[]) => {
      try {
        return filter(value, readArgs(raw, params));
      } catch (error) {
        return onError(name)(error);
      }
    });
  }
  // addTest exists at runtime but is missing from @types/nunjucks.
  const addTest = (name: string, test: (value: unknown, arg?: unknown) => boolean) =>
    (environment as unknown as { addTest(n: string, t: (value: unknown, arg?: unknown) => boolean): void }).addTest(name, test);
  addTest('starting_with', (v: unknown, p: unknown) => text(v).startsWith(text(p)));
  addTest('ending_with', (v: unknown, p: unknown) => text(v).endsWith(text(p)));
  addTest('containing', (v: unknown, p: unknown) =>
    Array.isArray(v) ? v.includes(p) : v !== null && typeof v === 'object' ? text(p) in v : text(v).includes(text(p)),
  );
  addTest('matching', (v: unknown, p: unknown) => new RegExp(text(p)).test(text(v)));
  addTest('object', (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v));
}
