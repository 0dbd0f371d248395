import { describe, expect, it } from 'vitest';
import { parseTestFile } from './parse';
import { type RenderInput, renderTemplate } from './template';
import { words } from './template-case';
import { translateTera } from './template-syntax';
import { brief } from './test-helpers';

function render(source: string, extra: Partial<RenderInput> = {}): string {
  const r = renderTemplate({ source, env: {}, ...extra });
  if (!r.ok) throw new Error(`${r.problem.line}:${r.problem.column} ${r.problem.message}`);
  return r.text;
}

function problem(source: string): string {
  const r = renderTemplate({ source, env: {} });
  if (r.ok) throw new Error(`rendered: ${r.text}`);
  return `${r.problem.line}:${r.problem.column} ${r.problem.code} ${r.problem.message}`;
}

describe('Tera filters with keyword arguments', () => {
  it('default applies only to undefined values', () => {
    expect(render('{{ missing | default(value="y") }}|{{ e | default(value="x") }}|{{ z | default("p") }}', { vars: { e: '' } })).toBe('y||p');
    // Like Tera, env() of an unset name is an error even before a default filter (use env's own default).
    expect(problem('{{ env(name="NOPE") | default(value="d") }}')).toMatch(/^1:4 toml.env-unset/);
    expect(render('{{ vars.absent | default(value=3) }}')).toBe('3');
  });

  it('join, truncate, replace, split, round, int, float', () => {
    expect(render('{{ [1, 2, 3] | join(sep=", ") }}|{{ ["a"] | join }}')).toBe('1, 2, 3|a');
    expect(render('{{ "abcdef" | truncate(length=3) }}|{{ "abcdef" | truncate(length=3, end="...") }}|{{ "ab" | truncate(length=3) }}')).toBe('abc…|abc...|ab');
    expect(render('{{ "a-b-c" | replace(from="-", to="+") }}|{{ "a-b" | replace("-", "_") }}')).toBe('a+b+c|a_b');
    expect(render('{{ "a,b" | split(pat=",") | last }}')).toBe('b');
    expect(render('{{ 2.567 | round(precision=2) }}|{{ 2.5 | round(method="floor") }}|{{ 2.1 | round(method="ceil") }}|{{ 3.14159 | round(2) }}')).toBe('2.57|2|3|3.14');
    expect(render('{{ "42" | int + 1 }}|{{ "x" | int(default=7) }}|{{ "ff" | int(base=16) }}|{{ "1.5" | float * 2 }}')).toBe('43|7|255|3');
    expect(problem('{{ 1 | round(method="up") }}')).toBe('1:6 toml.template template error: filter round: method must be "common", "ceil" or "floor", got "up"');
  });

  it('list and string filters nunjucks lacks', () => {
    expect(render('{{ [1, 2] | json_encode }}|{{ 5 | as_str }}|{{ [4, 5, 6] | nth(n=1) }}|{{ m | get(key="a") }}|{{ m | get(key="b", default="-") }}', { vars: { m: { a: 1 } } })).toBe(
      '[1,2]|5|5|1|-',
    );
    expect(render('{{ [1] | concat(with=2) | join(sep=",") }}|{{ [1, 1, 2] | unique | join }}|{{ xs | map(attribute="n") | join }}|{{ xs | filter(attribute="n", value=2) | length }}', {
      vars: { xs: [{ n: 1 }, { n: 2 }] },
    })).toBe('1,2|12|12|1');
    expect(render('[{{ "  a " | trim_start }}][{{ "xxaxx" | trim_start_matches(pat="x") }}][{{ "xxaxx" | trim_end_matches(pat="x") }}]')).toBe('[a ][axx][xxa]');
    expect(render('{{ 1 | pluralize }}|{{ 2 | pluralize }}|{{ 2 | pluralize(plural="es") }}|{{ "Hi There" | slugify }}')).toBe('|s|es|hi-there');
  });

  it('slug/kebab/snake/camel/pascal split words at case changes and punctuation', () => {
    expect(words('HTTPServer_userID 2fast')).toEqual(['HTTP', 'Server', 'user', 'ID', '2fast']);
    expect(render('{{ "Ünïcode Wörds" | slug }}')).toBe('ünïcode-wörds');
  });

  it('Tera tests starting_with, ending_with, containing, matching, object', () => {
    const src = '{% if "abc" is starting_with("ab") %}1{% endif %}{% if "abc" is ending_with("bc") %}2{% endif %}{% if [1, 2] is containing(2) %}3{% endif %}' +
      '{% if "v1.2" is matching("^v\\\\d") %}4{% endif %}{% if m is object %}5{% endif %}{% if "abc" is containing("z") %}X{% endif %}';
    expect(render(src, { vars: { m: { a: 1 } } })).toBe('12345');
  });
});

describe('Tera syntax', () => {
  it('works unchanged: raw, whitespace control, loop variables, is defined, True/False', () => {
    expect(render('{% raw %}{{ a }}{% endraw %}')).toBe('{{ a }}');
    expect(render('a\n{#- c -#}\nb')).toBe('ab');
    expect(render('{% for i in ["x", "y"] %}{{ loop.index }}{{ loop.index0 }}{{ i }}{% if loop.last %}.{% endif %}{% endfor %}')).toBe('10x21y.');
    expect(render('{% if u is defined %}d{% endif %}{% if u is not defined %}u{% endif %}')).toBe('u');
    expect(render('{% if True and not False %}t{% endif %}')).toBe('t');
  });

  it('translates self:: macro calls and top-level set_global, keeping lines', () => {
    expect(render('{% macro m(a) %}<{{ a }}>{% endmacro %}{{ self::m(a=1) }}')).toBe('<1>');
    expect(render('{% set_global n = 2 %}{{ n }}')).toBe('2');
    const src = 'a\n{{ self::m() }}\nb';
    expect(translateTera(src).text.split('\n')).toHaveLength(3);
  });

  it('refuses set_global inside a loop, break and continue, at their position', () => {
    expect(problem('x\n{% for i in [1] %}{% set_global n = i %}{% endfor %}')).toMatch(/^2:19 toml.template template error: `\{% set_global %\}` inside a loop/);
    expect(problem('{% for i in [1] %}\n  {% continue %}{% endfor %}')).toMatch(/^2:3 toml.template template error: `\{% continue %\}` \(Tera\) has no nunjucks equivalent/);
  });

  it('explains literal {# and {{ that are not template syntax', () => {
    expect(problem('a = 1\ncommand = "if [ ${#ULID} -eq 26 ]"')).toBe(
      "2:18 toml.template template error: `{#` opens a template comment that is never closed with `#}`; if it is meant literally, write {{ '{{' }} (or {{ '{#' }}) or wrap the text in {% raw %}…{% endraw %}",
    );
    expect(render("command = \"[ ${{ '{#' }}ULID} ] {% raw %}${#X}{% endraw %}\"")).toBe('command = "[ ${#ULID} ] ${#X}"');
    expect(problem('a = 1\n# 1. Tera rendering (all {{ }} expressions)\n')).toMatch(
      /^2:\d+ toml.template template error: unexpected token: \}\} near `.*` \(this line is a TOML comment, but templates render comments too\); if it is meant literally/,
    );
  });

  it('says when an undefined value is in a TOML comment', () => {
    expect(problem('a = 1\n# use {{ vars.name }} here')).toBe(
      "2:7 toml.template template error: `vars.name` is undefined: define it in [vars] or the environment (this line is a TOML comment, but templates render comments too: write {{ '{{' }} for a literal `{{`)",
    );
  });

  it('names unknown filters and functions with a suggestion, at their line', () => {
    expect(problem('a = 1\nb = "{{ x | kebob }}"')).toBe('2:11 toml.template template error: unknown filter `kebob` — did you mean `kebab`?');
    expect(problem('{{ "x" | sha256 }}')).toBe('1:8 toml.template template error: unknown filter `sha256` (`sha256` is a function: call it, e.g. sha256(s=value))');
    expect(problem('{{ pick(array=[1]) }}')).toBe(
      '1:4 toml.template template error: pick() requires a list `list` argument, e.g. pick(list=["a", "b"]) (unknown argument `array`; pick() takes list, seed)',
    );
    expect(problem('a = 1\nb = "{{ uuid4() }}"')).toBe('2:9 toml.template template error: unknown template function `uuid4()` (clnrm has no such function) — did you mean `uuid_v4`?');
  });
});

describe('through parseTestFile', () => {
  const BODY = `[[scenario]]\nname = "s"\nrun = "echo"\n`;

  it('renders clnrm functions into a valid test', () => {
    const src = `[meta]\nname = "{{ 'Orders Suite' | slug }}"\nversion = "1"\ndescription = "{{ sha256(s='x') }} {{ now_plus(seconds=60) }}"\n[determinism]\nfreeze_clock = "2030-01-01T00:00:00Z"\n${BODY}`;
    const r = parseTestFile(src);
    expect(r.errors).toEqual([]);
    expect(r.tests[0]!.name).toBe('orders-suite');
    expect(r.tests[0]!.meta.description).toBe('2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881 2030-01-01T00:01:00Z');
  });

  it('reads [vars] when a later value is an unquoted template (lenient first pass prints undefined as 0)', () => {
    const src = `[template.vars]\nname = "svc"\nlimit = 5000\n[meta]\nname = "{{ vars.name }}"\nversion = "1"\n[determinism]\nseed = {{ vars.limit }}\n${BODY}`;
    const r = parseTestFile(src);
    expect(r.errors).toEqual([]);
    expect(r.tests[0]!.name).toBe('svc');
    expect(renderTemplate({ source: 'a = {{ nope }}\nb = "{{ nope * 2 }}"', env: {}, lenient: true })).toEqual({ ok: true, text: 'a = 0\nb = "0"' });
  });

  it('reports a bad function argument at its template line', () => {
    const src = `[meta]\nname = "t"\nversion = "1"\ndescription = "{{ sample(list=[1], k=5) }}"\n${BODY}`;
    expect(parseTestFile(src).errors.map(brief)).toEqual(['4:19 toml.template template error: sample() `k` (5) must be between 0 and the list size (1)']);
  });
});
