// Attacks on template rendering: every known way out of nunjucks's data into JavaScript (constructor
// chains on every kind of value, `__proto__`, `prototype`, `this`, globals, computed keys, functions
// returned by filters and calls, `{% set %}` aliases) must be refused with `template.unsafe` at the
// line written, run nothing, and runaway templates must stop with `template.limit`.
import { afterEach, describe, expect, it } from 'vitest';
import { parseTestFile } from './parse';
import { MAX_TEMPLATE_STEPS } from './template-guard';

const PWNED = '__clnrmPwned';
const g = globalThis as Record<string, unknown>;
// The code an escape would run: it leaves a mark the tests look for.
const CODE = `'return globalThis.${PWNED} = 1'`;

/** A file whose line 4 is `name = "x_<template>"`. */
function file(template: string): string {
  return `[vars]\nsvc = "orders"\n[meta]\nname = "x_${template}"\nversion = "1"\n[[scenario]]\nname = "s"\nrun = "echo"\n`;
}

function firstError(template: string) {
  const result = parseTestFile(file(template), { file: 'evil.clnrm.toml', env: {} });
  expect(g[PWNED]).toBeUndefined();
  expect(result.tests).toEqual([]);
  return result.errors[0];
}

afterEach(() => {
  delete g[PWNED];
});

const ESCAPES: Record<string, string> = {
  'a global function (range)': `{{ range.constructor(${CODE})() }}`,
  'a string': `{{ "s".constructor.constructor(${CODE})() }}`,
  'a number': `{{ (1).constructor.constructor(${CODE})() }}`,
  'an array': `{{ [].constructor.constructor(${CODE})() }}`,
  'a [vars] value': `{{ vars.svc.constructor.constructor(${CODE})() }}`,
  'the vars table': `{{ vars.constructor.constructor(${CODE})() }}`,
  'a top-level variable': `{{ svc.constructor.constructor(${CODE})() }}`,
  'the loop object': `{% for i in [1] %}{{ loop.constructor.constructor(${CODE})() }}{% endfor %}`,
  "a filter's result": `{{ ([1] | first).constructor.constructor(${CODE})() }}`,
  "a function's result": `{{ uuid_v4().constructor.constructor(${CODE})() }}`,
  'a macro': `{% macro m() %}{% endmacro %}{{ m.constructor(${CODE})() }}`,
  'env()': `{{ env.constructor(${CODE})() }}`,
  'a __proto__ chain': `{{ range.__proto__.constructor(${CODE})() }}`,
  prototype: `{{ range.prototype }}`,
  'a __name': `{{ vars.__defineGetter__ }}`,
  'this': `{{ this }}`,
  process: `{{ process.pid }}`,
  global: `{{ global }}`,
  globalThis: `{{ globalThis }}`,
  require: `{{ require('child_process') }}`,
  'a computed key in one expression': `{{ range["con" ~ "structor"](${CODE})() }}`,
  'a method call': `{{ "abc".toUpperCase() }}`,
  'a call of a call': `{{ range(1)(2) }}`,
  'a __proto__ dict key': `{% set o = {"__proto__": 1} %}`,
  'a __proto__ keyword argument': `{{ uuid_v4(__proto__=1) }}`,
};

describe('template escapes are refused before anything runs', () => {
  for (const [shape, template] of Object.entries(ESCAPES)) {
    it(`refuses ${shape}`, () => {
      const error = firstError(template);
      expect(error).toMatchObject({ code: 'template.unsafe', file: 'evil.clnrm.toml', line: 4 });
      expect(error!.message).toMatch(/^template refused: /);
      expect(error!.column).toBeGreaterThanOrEqual(10);
    });
  }

  it('names what it refused', () => {
    expect(firstError(`{{ range.constructor(${CODE})() }}`)!.message).toMatch(/`constructor` cannot be read in a template/);
    expect(firstError('{{ process.pid }}')!.message).toMatch(/`process` is not available in templates/);
    expect(firstError('{{ range(1)(2) }}')!.message).toMatch(/only clnrm's template functions and this file's macros can be called/);
  });
});

// Shapes the parse tree cannot see (the key or the function is computed while rendering): the runtime
// guard refuses them, and nothing runs.
const RUNTIME_ESCAPES: Record<string, string> = {
  'a computed key held in a variable': `{% set k = "constructor" %}{% set F = range[k] %}{% set f = F(${CODE}) %}{{ f() }}`,
  'a concatenated key': `{% set F = range["con" ~ "structor"] %}{% set f = F(${CODE}) %}{{ f() }}`,
  "a computed key on a [vars] value": `{% set F = vars.svc["con" ~ "structor"]["con" ~ "structor"] %}{{ F(${CODE}) }}`,
  "a filter handing out a constructor (map)": `{% set F = [range] | map(attribute="constructor") | first %}{% set f = F(${CODE}) %}{{ f() }}`,
  "a filter handing out a constructor (get)": `{% set F = range | get(key="constructor") %}{{ F(${CODE}) }}`,
  'a filter handing out a prototype function': `{% set F = [[]] | map(attribute="__proto__.constructor") | first %}{{ F }}`,
  'a function smuggled through a list': `{% set f = [range] | first %}{% set h = f["con" ~ "structor"] %}{{ h }}`,
};

describe('template escapes the parse tree cannot see are refused while rendering', () => {
  for (const [shape, template] of Object.entries(RUNTIME_ESCAPES)) {
    it(`refuses ${shape}`, () => {
      const error = firstError(template);
      expect(error).toMatchObject({ code: 'template.unsafe', file: 'evil.clnrm.toml' });
      expect(error!.message).toMatch(/^template refused: /);
    });
  }
});

describe('functions and methods are not data', () => {
  it('reads attributes of functions and JavaScript methods as undefined, so nothing can call them', () => {
    for (const template of ['{% set c = range.call %}{{ c(1) }}', '{% set m = "abc".toUpperCase %}{{ m() }}', '{% set f = [range] | first %}{% set h = f.apply %}{{ h(1) }}']) {
      expect(firstError(template)!.message).toMatch(/unknown template function `[cmh]\(\)`/);
    }
  });

  it('keeps `env.NAME | default(…)` reading as undefined, as before', () => {
    const result = parseTestFile(file('{{ env.TEST_VAR | default(value="dev") }}'), { env: {} });
    expect(result.errors).toEqual([]);
    expect(result.tests[0]!.name).toBe('x_dev');
  });
});

describe('runaway templates stop within a bound', () => {
  it('stops a huge range() before building it', () => {
    const error = firstError('{% for i in range(0, 3000000) %}{% endfor %}');
    expect(error).toMatchObject({ code: 'template.limit', line: 4 });
    expect(error!.message).toMatch(/range\(\) of 3,000,000 values/);
  });

  it('stops nested loops that together run too long', () => {
    const error = firstError('{% for i in range(0, 1000) %}{% for j in range(0, 1000) %}{% endfor %}{% endfor %}');
    expect(error).toMatchObject({ code: 'template.limit' });
    expect(error!.message).toContain(MAX_TEMPLATE_STEPS.toLocaleString('en'));
  });

  it('stops a macro that calls itself exponentially', () => {
    const error = firstError('{% macro m(n) %}{% if n > 0 %}{{ m(n - 1) }}{{ m(n - 1) }}{% endif %}{% endmacro %}{{ m(40) }}');
    expect(error).toMatchObject({ code: 'template.limit' });
  });

  it('stops a huge output', () => {
    const error = firstError('{% set s = "xxxxxxxxxx" %}{% for i in range(0, 24) %}{% set s = s ~ s %}{% endfor %}{{ s }}');
    expect(error).toMatchObject({ code: 'template.limit' });
    expect(error!.message).toMatch(/writes more than 8 MiB/);
  });

  it('stops a loop over a huge literal body', () => {
    const body = 'y'.repeat(1000);
    const error = firstError(`{% for i in range(0, 20000) %}${body}{% endfor %}`);
    expect(error).toMatchObject({ code: 'template.limit' });
  });
});

describe('what clnrm files do still works', () => {
  it('loops, macros with caller, filters, computed data keys and functions', () => {
    const source =
      '[vars]\nsvc = "orders"\nports = { a = 1, b = 2 }\nkeys = ["a", "b"]\n' +
      '{% macro wrap(x) %}<{{ x }}{{ caller() }}>{% endmacro %}' +
      '[meta]\nname = "{% for k in vars.keys %}{{ vars.ports[k] }}{% endfor %}-{{ svc | upper }}-{% call wrap(1) %}c{% endcall %}-{{ range(3) | join(sep=",") }}-{{ vars.keys | length }}-{{ [{"n": 1}] | map(attribute="n") | first }}"\nversion = "1"\n' +
      '[[scenario]]\nname = "s"\nrun = "echo {{ sha256(s="a") | truncate(length=4, end="") }}"\n';
    const result = parseTestFile(source, { env: {} });
    expect(result.errors).toEqual([]);
    expect(result.tests[0]!.name).toBe('12-ORDERS-<1c>-0,1,2-2-1');
  });
});
