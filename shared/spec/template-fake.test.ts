import { describe, expect, it } from 'vitest';
import { type RenderInput, renderTemplate } from './template';
import { FAKE_FUNCTIONS, FAKE_KINDS } from './template-fake';

function render(source: string, extra: Partial<RenderInput> = {}): string {
  const r = renderTemplate({ source, env: {}, ...extra });
  if (!r.ok) throw new Error(`${r.problem.line}:${r.problem.column} ${r.problem.message}`);
  return r.text;
}

// The shape each fake_* function's value must have (clnrm's registrations, crates/clnrm-template).
const SHAPES: Record<string, RegExp> = {
  fake_uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  fake_uuid_seeded: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  fake_name: /^\S+( \S+)+$/,
  fake_first_name: /^\S+$/,
  fake_last_name: /^\S+/,
  fake_title: /^\S+/,
  fake_suffix: /^\S+/,
  fake_email: /^[^@\s]+@example\.(com|org|net)$/,
  fake_username: /^\S+$/,
  fake_password: /^.{8,19}$/,
  fake_domain: /^\w+\.[a-z]+$/,
  fake_url: /^https:\/\/\w+\.[a-z]+$/,
  fake_ipv4: /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/,
  fake_ipv6: /^[0-9a-f]{1,4}(:[0-9a-f]{1,4}){7}$/,
  fake_user_agent: /\S/,
  fake_mac_address: /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/,
  fake_street: /\S/,
  fake_city: /\S/,
  fake_state: /^[A-Z]/,
  fake_zip: /^\d{5}(-\d{4})?$/,
  fake_country: /\S/,
  fake_latitude: /^-?\d{1,2}(\.\d+)?$/,
  fake_longitude: /^-?\d{1,3}(\.\d+)?$/,
  fake_phone: /\d{3}.*\d{4}/,
  fake_cell_phone: /\d{3}.*\d{4}/,
  fake_company: /\S/,
  fake_company_suffix: /^(Inc|and Sons|LLC|Group|Ltd|Corp)$/,
  fake_industry: /^[A-Z]/,
  fake_profession: /\S/,
  fake_word: /^\S+$/,
  fake_words: /^\S+ \S+ \S+$/,
  fake_sentence: /^[A-Z].*\.$/,
  fake_paragraph: /^[A-Z].*\.$/,
  fake_int: /^\d{1,3}$/,
  fake_int_range: /^\d{1,2}$/,
  fake_float: /^\d{1,3}(\.\d+)?$/,
  fake_bool: /^(true|false)$/,
  fake_date: /^\d{4}-\d{2}-\d{2}$/,
  fake_time: /^\d{2}:\d{2}:\d{2}$/,
  fake_datetime: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/,
  fake_timestamp: /^-?\d+$/,
  fake_credit_card: /^[\d-]{12,}$/,
  fake_currency_code: /^[A-Z]{3}$/,
  fake_currency_name: /\S/,
  fake_currency_symbol: /\S/,
  fake_filename: /^\S+\.\w+$/,
  fake_extension: /^\w+$/,
  fake_mime_type: /^[\w.+-]+\/[\w.+-]+$/,
  fake_file_path: /^\/\S+$/,
  fake_color: /^[a-z ]+$/,
  fake_hex_color: /^#[0-9a-f]{6}$/,
  fake_rgb_color: /^rgb\(\d{1,3}, \d{1,3}, \d{1,3}\)$/,
  fake_string: /^[a-z]{10}$/,
  fake_port: /^\d{4,5}$/,
  fake_semver: /^\d\.\d{1,2}\.\d{1,2}$/,
};

describe('fake data', () => {
  it('covers every fake_* function clnrm registers', () => {
    const names = Object.keys(FAKE_FUNCTIONS).filter((n) => n.startsWith('fake_') && n !== 'fake_kinds');
    expect(names.sort()).toEqual(Object.keys(SHAPES).sort());
  });

  it('each fake_* value has its shape, over many seeds', () => {
    for (const [name, shape] of Object.entries(SHAPES)) {
      const source = Array.from({ length: 25 }, (_, seed) => `{{ ${name}(seed=${seed}) }}`).join('\n');
      for (const value of render(source).split('\n')) expect(value, name).toMatch(shape);
    }
  });

  it('is repeatable with a seed and varies between seeds', () => {
    expect(render('{{ fake_name(seed=7) }}')).toBe(render('{{ fake_name(seed=7) }}'));
    const names = new Set(Array.from({ length: 10 }, (_, s) => render(`{{ fake_name(seed=${s}) }}`)));
    expect(names.size).toBeGreaterThan(5);
    // Dates do not move with the wall clock: same seed, same date.
    expect(render('{{ fake_datetime(seed=3) }}')).toBe(render('{{ fake_datetime(seed=3) }}'));
  });

  it('keeps fake_int_range within [min, max) and validates it', () => {
    const values = Array.from({ length: 60 }, (_, s) => Number(render(`{{ fake_int_range(min=10, max=13, seed=${s}) }}`)));
    expect(new Set(values)).toEqual(new Set([10, 11, 12]));
    expect(render('{{ fake_int_range(5, 5) }}')).toBe('5');
    expect(renderTemplate({ source: '{{ fake_int_range(min=9, max=1) }}', env: {} })).toMatchObject({
      ok: false,
      problem: { code: 'toml.template', message: 'template error: fake_int_range() needs min ≤ max, got min=9 max=1', line: 1, column: 4 },
    });
  });

  it('honours length and count arguments', () => {
    expect(render('{{ fake_string(len=4, seed=1) }}')).toMatch(/^[a-z]{4}$/);
    expect(render('{{ fake_words(count=5, seed=1) }}').split(' ')).toHaveLength(5);
    for (let s = 0; s < 20; s++) expect(render(`{{ fake_password(min=12, max=14, seed=${s}) }}`)).toMatch(/^.{12,13}$/);
    expect(render('{{ fake_bool(ratio=100) }}|{{ fake_bool(ratio=0) }}')).toBe('true|false');
  });

  it('fake(kind) knows every kind fake_kinds() lists, and refuses others', () => {
    expect(render('{{ fake_kinds() | join(sep=",") }}')).toBe(FAKE_KINDS.join(','));
    expect(FAKE_KINDS).toContain('name.full');
    for (const kind of FAKE_KINDS) expect(render(`{{ fake(kind="${kind}", seed=1) }}`), kind).toMatch(/\S/);
    expect(render('{{ fake(kind="internet.ip.v4", seed=2) }}')).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(render('{{ fake(kind="name.full", seed=2) }}')).toBe(render('{{ fake_name(seed=2) }}'));
    const r = renderTemplate({ source: 'a = 1\nb = "{{ fake(kind="pet.dog") }}"', env: {} });
    expect(r).toMatchObject({ ok: false, problem: { line: 2, column: 9 } });
    expect(!r.ok && r.problem.message).toMatch(/^template error: fake\(\) does not know kind "pet.dog"; fake_kinds\(\) lists them: name.full, /);
  });
});
