import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTestFile } from './parse';
import { combinationLabel, expandMatrix } from './matrix';
import { renderTemplate } from './template';
import { brief } from './test-helpers';

const BODY = `[[scenario]]\nname = "s"\nrun = "echo"\n`;

describe('templates', () => {
  it('renders [vars] over environment over clnrm defaults', () => {
    const src = `[meta]\nname = "{{ svc }}-{{ exporter }}-{{ endpoint }}"\nversion = "1"\n[vars]\nsvc = "orders"\n${BODY}`;
    const r = parseTestFile(src, { env: { OTEL_TRACES_EXPORTER: 'stdout' } });
    expect(r.errors).toEqual([]);
    expect(r.tests[0]!.name).toBe('orders-stdout-http://localhost:4318');
  });

  it('lets [vars] use templates themselves (second pass)', () => {
    const src = `[meta]\nname = "{{ full }}"\nversion = "1"\n[vars]\nfull = "{{ svc }}_suite"\n${BODY}`;
    expect(parseTestFile(src).tests[0]!.name).toBe('clnrm_suite');
  });

  it('reads env() positionally and with Tera keywords, with defaults', () => {
    const src = `[meta]\nname = "{{ env('A') }}-{{ env(name='B') }}-{{ env(name='C', default='c') }}-{{ env }}"\nversion = "1"\n${BODY}`;
    const r = parseTestFile(src, { env: { A: 'a', B: 'b', ENV: 'prod' } });
    expect(r.errors).toEqual([]);
    expect(r.tests[0]!.name).toBe('a-b-c-prod');
  });

  it('fails loudly on an unset env() with the template line', () => {
    const src = `[meta]\nversion = "1"\nname = "{{ env(name='MISSING_TOKEN') }}"\n${BODY}`;
    const r = parseTestFile(src, { file: 'x.clnrm.toml', env: {} });
    expect(r.tests).toEqual([]);
    expect(r.errors.map(brief)).toEqual([
      '3:12 toml.env-unset env("MISSING_TOKEN") is used but the environment variable MISSING_TOKEN is not set; set it or give a default in [vars]',
    ]);
  });

  it('reports undefined variables and template syntax errors at the template line', () => {
    expect(parseTestFile(`[meta]\nversion = "1"\nname = "{{ nope }}"\n${BODY}`).errors.map(brief)).toEqual([
      expect.stringMatching(/^3:\d+ toml.template template error: `nope` is undefined: define it in \[vars\] or the environment$/),
    ]);
    expect(parseTestFile(`[meta]\nversion = "1"\n\nname = "{% if %}"\n${BODY}`).errors.map(brief)).toEqual([
      expect.stringMatching(/^4:\d+ toml.template template error:/),
    ]);
  });

  it('points schema errors at the template line when rendering moved lines', () => {
    const src = `[meta]\nname = "t"\nversion = "1"\n{% for i in [1, 2, 3] %}\n[[steps]]\nname = "s{{ i }}"\ncommand = "true"\n{% endfor %}\n[otel]\nexporter = "kafka"\n`;
    const r = parseTestFile(src);
    expect(r.errors.map(brief)).toEqual(['10:12 toml.shape `otel.exporter` must be one of "stdout", "otlp", "jaeger", "zipkin"']);
  });

  it('reports an unknown template function as the cause, not the [vars] it kept from being read', () => {
    const src = `[vars]\nsvc = "a"\n[meta]\nname = "{{ vars.svc }}"\nversion = "1"\ndescription = "{{ fake_nam() }}"\n${BODY}`;
    expect(parseTestFile(src).errors.map(brief)).toEqual([
      '6:19 toml.template template error: unknown template function `fake_nam()` (clnrm has no such function) — did you mean `fake_name`?',
    ]);
  });

  it('uses [determinism].freeze_clock for now_rfc3339()', () => {
    const src = `[meta]\nname = "t"\nversion = "1"\ndescription = "{{ now_rfc3339() }}"\n[determinism]\nfreeze_clock = "2030-01-01T00:00:00Z"\n${BODY}`;
    expect(parseTestFile(src).tests[0]!.meta.description).toBe('2030-01-01T00:00:00Z');
  });

  it('renders without autoescaping (like Tera)', () => {
    const r = renderTemplate({ source: '{{ x }}', env: {}, vars: { x: '<a & "b">' } });
    expect(r).toEqual({ ok: true, text: '<a & "b">' });
  });
});

describe('matrix', () => {
  it('expands every combination in order', () => {
    const combos = expandMatrix({ db: ['pg15', 'pg16'], mode: ['cold', 'warm'] });
    expect(combos.map(combinationLabel)).toEqual([
      ' [db=pg15, mode=cold]',
      ' [db=pg15, mode=warm]',
      ' [db=pg16, mode=cold]',
      ' [db=pg16, mode=warm]',
    ]);
  });

  it('gives one concrete test per combination, with matrix values in templates', () => {
    const src = readFileSync(join(__dirname, 'fixtures', 'template-matrix.clnrm.toml'), 'utf8');
    const r = parseTestFile(src, { env: { HOME_DIR: '/h', ENV: 'ci' } });
    expect(r.errors).toEqual([]);
    expect(r.tests.map((t) => [t.name, t.services.db!.image, t.scenarios[0]!.name])).toEqual([
      ['orders_matrix [db=postgres:15, mode=cold]', 'postgres:15', 'run_cold'],
      ['orders_matrix [db=postgres:15, mode=warm]', 'postgres:15', 'run_warm'],
      ['orders_matrix [db=postgres:16, mode=cold]', 'postgres:16', 'run_cold'],
      ['orders_matrix [db=postgres:16, mode=warm]', 'postgres:16', 'run_warm'],
    ]);
    expect(r.tests[0]!.matrix).toEqual({ db: 'postgres:15', mode: 'cold' });
    expect(r.tests[0]!.scenarios[0]!.run).toBe('echo hello from ci /h');
  });

  it('expands a matrix in a file without templates too', () => {
    const src = `[meta]\nname = "m"\nversion = "1"\n[matrix]\nos = ["alpine", "debian"]\n${BODY}`;
    expect(parseTestFile(src).tests.map((t) => t.name)).toEqual(['m [os=alpine]', 'm [os=debian]']);
  });

  it('refuses a matrix with too many combinations', () => {
    const src = `[meta]\nname = "m"\nversion = "1"\n[matrix]\na = [1,2,3,4]\nb = [1,2,3,4]\n${BODY}`;
    expect(parseTestFile(src, { maxCombinations: 10 }).errors.map(brief)).toEqual([
      '4:1 toml.shape [matrix] expands to 16 combinations, more than the 10 allowed: list fewer values',
    ]);
  });
});
