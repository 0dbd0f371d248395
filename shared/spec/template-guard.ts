// Keeps `.clnrm.toml` templates data-only and bounded. nunjucks compiles a template to JavaScript and
// says it is not a sandbox: `range.constructor("…")()` reaches Function and runs code. Three layers:
//
// 1. `checkTemplate` reads nunjucks's own parse tree before anything runs and refuses, at the line
//    and column written, every name and attribute that leads out of the data (`constructor`,
//    `prototype`, `__proto__` and any `__name`, `caller`/`callee`/`arguments`, `this`, the JavaScript
//    globals) and every call of something that is not a plain name (only functions and macros are
//    called by name; `x.y()`, `f()()`, `(x | first)()` are refused).
// 2. The compiled template reaches properties, calls and loops only through `nunjucks.runtime`;
//    `installRuntimeGuard` wraps those doors once: computed keys (`x["con" ~ "structor"]`) are refused
//    at run time, a function has no attributes and no attribute is a function (no methods), and only
//    the functions the render registered (clnrm's functions, `range`, macros) can be called.
// 3. Budgets, counted by the same wrappers while a render is active: loop iterations plus calls
//    (`MAX_TEMPLATE_STEPS`), `range()` sizes and the bytes written (`MAX_TEMPLATE_OUTPUT`). A hard
//    deadline and memory cap come from the worker thread that main/ renders in (main/spec/parse-thread.ts).
import nunjucks from 'nunjucks';
import type { ErrorCode } from '../errors';

/** Loop iterations plus function and macro calls one render may make (clnrm files use a few hundred). */
export const MAX_TEMPLATE_STEPS = 100_000;
/** Characters one render may write (twice the largest test file main/ reads). */
export const MAX_TEMPLATE_OUTPUT = 8 * 1024 * 1024;

/** The budget of the render in progress (renders are synchronous, so one at a time). */
let active: RenderBudget | undefined;

const GLOBAL_NAMES = new Set(['this', 'process', 'global', 'globalThis', 'window', 'self', 'require', 'module', 'exports', 'Function', 'eval', 'import']);
const PROPERTY_NAMES = new Set(['constructor', 'prototype', 'caller', 'callee', 'arguments']);

/** An attribute a template may never read: the way out of plain data into JavaScript's objects. */
export function isUnsafeProperty(name: string): boolean {
  return PROPERTY_NAMES.has(name) || name.startsWith('__');
}

/**
 * A refusal or an exceeded budget, raised while rendering. nunjucks rethrows errors as plain ones, so
 * the first of a render is also kept on its budget (`failure`), where template.ts finds it.
 */
export class TemplateGuardError extends Error {
  constructor(
    readonly code: Extract<ErrorCode, 'template.unsafe' | 'template.limit'>,
    message: string,
    /** The attribute refused, for lookups: nunjucks knows the line only of calls. */
    readonly attribute?: string,
  ) {
    super(message);
    if (active) active.failure ??= this;
  }
}

export interface TemplateRefusal {
  message: string;
  /** 1-based, in the text that was checked. */
  line: number;
  column: number;
}

interface AstNode {
  typename: string;
  lineno?: number;
  colno?: number;
  value?: unknown;
  name?: AstNode;
  target?: AstNode;
  val?: AstNode;
  key?: AstNode;
  children?: AstNode[];
  [field: string]: unknown;
}

const unsafeRead = (name: string): string =>
  `\`${name}\` cannot be read in a template: templates read data ([vars], the environment, clnrm's functions), never JavaScript's objects`;

function refusalOf(node: AstNode): string | undefined {
  if (node.typename === 'Symbol' && typeof node.value === 'string') {
    if (GLOBAL_NAMES.has(node.value)) return `\`${node.value}\` is not available in templates: they cannot reach the process, modules or globals`;
    if (isUnsafeProperty(node.value) && node.value !== 'caller') return unsafeRead(node.value);
  }
  if (node.typename === 'LookupVal' && node.val?.typename === 'Literal' && typeof node.val.value === 'string' && isUnsafeProperty(node.val.value)) {
    return unsafeRead(node.val.value);
  }
  if (node.typename === 'Pair' && node.key?.typename === 'Literal' && typeof node.key.value === 'string' && node.key.value.startsWith('__')) {
    return `\`${node.key.value}\` cannot be a key in a template: names starting with \`__\` are JavaScript's own`;
  }
  if (node.typename === 'FunCall' && node.name?.typename !== 'Symbol') {
    return "only clnrm's template functions and this file's macros can be called, by name (e.g. `uuid_v4()`); calling an attribute or a result (`x.f()`, `f()()`) is refused";
  }
  return undefined;
}

/** Child nodes of a parse-tree node: every field that holds a node or a list of nodes. */
function childrenOf(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'parent') continue;
    if (Array.isArray(value)) out.push(...value.filter(isNode));
    else if (isNode(value)) out.push(value);
  }
  return out;
}

function isNode(value: unknown): value is AstNode {
  return value !== null && typeof value === 'object' && typeof (value as { typename?: unknown }).typename === 'string';
}

/**
 * The first unsafe construct of a template (in source order of the walk), or undefined. A template
 * nunjucks cannot parse is left to the render, which reports the syntax error without running anything.
 */
export function checkTemplate(text: string): TemplateRefusal | undefined {
  let root: AstNode;
  try {
    root = (nunjucks as unknown as { parser: { parse(src: string, extensions: unknown[], opts: object): AstNode } }).parser.parse(text, [], {});
  } catch {
    return undefined;
  }
  // Iterative: a deeply nested template must not overflow the stack here. An unsafe name is the
  // clearer report, so it wins over the call around it (`range.constructor(…)()`).
  let callRefusal: TemplateRefusal | undefined;
  const stack: AstNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const message = refusalOf(node);
    if (message !== undefined) {
      const refusal = { message, line: (node.lineno ?? 0) + 1, column: (node.colno ?? 0) + 1 };
      if (node.typename !== 'FunCall') return refusal;
      callRefusal ??= refusal;
    }
    stack.push(...childrenOf(node).reverse());
  }
  return callRefusal;
}

/** What one render may still spend, and the functions it may call. */
export class RenderBudget {
  steps = MAX_TEMPLATE_STEPS;
  output = MAX_TEMPLATE_OUTPUT;
  readonly callable = new WeakSet<object>();
  failure: TemplateGuardError | undefined;

  spend(steps: number): void {
    this.steps -= steps;
    if (this.steps < 0) {
      throw new TemplateGuardError(
        'template.limit',
        `the template runs more than ${MAX_TEMPLATE_STEPS.toLocaleString('en')} loop iterations and calls; loop over fewer values`,
      );
    }
  }

  write(characters: number): void {
    this.output -= characters;
    if (this.output < 0) throw outputLimit();
  }
}

export function outputLimit(): TemplateGuardError {
  return new TemplateGuardError('template.limit', `the template writes more than ${MAX_TEMPLATE_OUTPUT / 1024 / 1024} MiB`);
}

/** Runs `render` (synchronous) with `budget` counting; the runtime guard reads it. */
export function withBudget<T>(budget: RenderBudget, render: () => T): T {
  installRuntimeGuard();
  const outer = active;
  active = budget;
  try {
    return render();
  } finally {
    active = outer;
  }
}

interface Runtime {
  memberLookup(obj: unknown, key: unknown): unknown;
  contextOrFrameLookup(context: unknown, frame: unknown, name: string): unknown;
  callWrap(fn: unknown, name: string, context: unknown, args: unknown[]): unknown;
  makeMacro(...args: unknown[]): (...args: unknown[]) => unknown;
  fromIterator(value: unknown): unknown;
  suppressValue(value: unknown, autoescape: boolean): unknown;
}

let installed = false;

/** Wraps nunjucks's runtime once per process (only this module uses nunjucks). */
function installRuntimeGuard(): void {
  if (installed) return;
  installed = true;
  const runtime = (nunjucks as unknown as { runtime: Runtime }).runtime;
  const { contextOrFrameLookup, callWrap, makeMacro, fromIterator, suppressValue } = runtime;
  runtime.memberLookup = (obj, key) => {
    if (obj === undefined || obj === null) return undefined;
    const name = String(key);
    if (isUnsafeProperty(name)) throw new TemplateGuardError('template.unsafe', unsafeRead(name), name);
    // Tera has no methods: a function has no attributes (`env.HOME` is undefined, as it was) and a
    // JavaScript method (`"a".toUpperCase`, `list.map`) is not data, so both read as undefined.
    if (typeof obj === 'function') return undefined;
    const value = (obj as Record<string, unknown>)[name];
    return typeof value === 'function' ? undefined : value;
  };
  runtime.contextOrFrameLookup = (context, frame, name) => {
    if (isUnsafeProperty(name) && name !== 'caller') throw new TemplateGuardError('template.unsafe', unsafeRead(name));
    return contextOrFrameLookup(context, frame, name);
  };
  runtime.callWrap = (fn, name, context, args) => {
    if (active && typeof fn === 'function') {
      if (!active.callable.has(fn)) throw new TemplateGuardError('template.unsafe', `\`${name}\` is not one of clnrm's template functions or this file's macros: calling it is refused`);
      active.spend(1);
    }
    return callWrap(fn, name, context, args);
  };
  runtime.makeMacro = (...args) => {
    const macro = makeMacro(...args);
    active?.callable.add(macro);
    return macro;
  };
  runtime.fromIterator = (value) => {
    const items = fromIterator(value);
    if (active && items !== null && items !== undefined) {
      active.spend(typeof items === 'object' ? (Array.isArray(items) ? items.length : Object.keys(items).length) : String(items).length);
    }
    return items;
  };
  runtime.suppressValue = (value, autoescape) => {
    // Data objects have no prototype (see template.ts), so they have no toString: print them as before.
    const printable = value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === null ? '[object Object]' : value;
    const out = suppressValue(printable, autoescape);
    active?.write(typeof out === 'string' ? out.length : String(out).length);
    return out;
  };
}

/** `range()` as nunjucks has it, refusing a list larger than the budget left before building it. */
export function budgetedRange(start: unknown, stop?: unknown, step?: unknown): number[] {
  let [from, to, by] = stop === undefined ? [0, Number(start), 1] : [Number(start), Number(stop), step ? Number(step) : 1];
  if (!Number.isFinite(from)) from = 0;
  if (!Number.isFinite(to)) to = from;
  if (!Number.isFinite(by) || by === 0) by = 1;
  const count = Math.max(0, Math.ceil((to - from) / by));
  if (active && count > active.steps) {
    throw new TemplateGuardError('template.limit', `range() of ${count.toLocaleString('en')} values is more than a template may loop over (${MAX_TEMPLATE_STEPS.toLocaleString('en')})`);
  }
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(from + i * by);
  return out;
}

/**
 * A null-prototype deep copy of TOML data (tables, arrays, strings, numbers, booleans, dates as their
 * TOML text): nothing in it leads to a prototype. Arrays stay arrays (filters need them).
 */
export function plainData(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? undefined : value;
  if (value instanceof Date) return String(value);
  if (Array.isArray(value)) return value.map(plainData);
  const out = Object.create(null) as Record<string, unknown>;
  for (const [key, item] of Object.entries(value)) out[key] = plainData(item);
  return out;
}
