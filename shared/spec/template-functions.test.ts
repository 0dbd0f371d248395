import { describe, expect, it } from 'vitest';
import { type RenderInput, renderTemplate } from './template';
import { Rng, readArgs } from './template-args';
import { tomlEncode } from './template-functions';

const FROZEN = '2025-01-01T00:00:00Z';

function render(source: string, extra: Partial<RenderInput> = {}): string {
  const r = renderTemplate({ source, env: {}, ...extra });
  if (!r.ok) throw new Error(`${r.problem.line}:${r.problem.column} ${r.problem.message}`);
  return r.text;
}

function problem(source: string, extra: Partial<RenderInput> = {}): string {
  const r = renderTemplate({ source, env: {}, ...extra });
  if (r.ok) throw new Error(`rendered: ${r.text}`);
  return `${r.problem.line}:${r.problem.column} ${r.problem.code} ${r.problem.message}`;
}

const UUID = (version: number) => new RegExp(`^[0-9a-f]{8}-[0-9a-f]{4}-${version}[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`);

describe('arguments', () => {
  it('fills declared names positionally and lets keywords win', () => {
    expect(readArgs(['a', 2], ['s', 'n'])).toEqual({ s: 'a', n: 2 });
    expect(readArgs(['a', { n: 5, __keywords: true }], ['s', 'n'])).toEqual({ s: 'a', n: 5 });
    expect(readArgs([{ s: 'k', __keywords: true }], ['s'])).toEqual({ s: 'k' });
  });

  it('has a repeatable generator whose ints stay in range', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const xs = Array.from({ length: 200 }, () => a.int(3, 9));
    expect(xs).toEqual(Array.from({ length: 200 }, () => b.int(3, 9)));
    expect(Math.min(...xs)).toBe(3);
    expect(Math.max(...xs)).toBe(8);
    expect(new Rng(1).nextU32()).not.toBe(new Rng(2 ** 32 + 2).nextU32());
  });
});

describe('hashing and encoding', () => {
  it('sha256 gives the standard digest (keyword and positional)', () => {
    expect(render('{{ sha256(s="hello") }}')).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    expect(render('{{ sha256("") }}')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(render('{{ sha256(s=x) }}', { vars: { x: 'abc' } })).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('toml_encode writes TOML literals that parse back', () => {
    expect(render('x = {{ toml_encode(value=v) }}', { vars: { v: 'a "q" \\ b\n' } })).toBe('x = "a \\"q\\" \\\\ b\\n"');
    expect(render('{{ toml_encode(value=[1, "a", true]) }}')).toBe('[1, "a", true]');
    expect(render('{{ toml_encode(value={"k": "v", "a b": [1.5]}) }}')).toBe('{ k = "v", "a b" = [1.5] }');
    expect(tomlEncode(Infinity)).toBe('inf');
    expect(tomlEncode({})).toBe('{}');
    expect(problem('{{ toml_encode() }}')).toMatch(/^1:4 toml.template template error: toml_encode\(\) requires a `value` argument/);
  });
});

describe('clock', () => {
  it('every clock function reads [determinism] freeze_clock', () => {
    const out = render('{{ now_rfc3339() }}|{{ now_unix() }}|{{ now_ms() }}|{{ now_plus(seconds=90) }}|{{ date_rfc3339(offset_seconds=-3600) }}|{{ date_rfc3339() }}', {
      frozenClock: FROZEN,
    });
    expect(out).toBe('2025-01-01T00:00:00Z|1735689600|1735689600000|2025-01-01T00:01:30Z|2024-12-31T23:00:00Z|2025-01-01T00:00:00Z');
  });

  it('uses the wall clock without a frozen one', () => {
    const before = Date.now();
    const [unix, ms] = render('{{ now_unix() }} {{ now_ms() }}').split(' ').map(Number);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now());
    expect(unix).toBe(Math.floor(ms! / 1000));
  });

  it('needs seconds for now_plus and a readable frozen clock', () => {
    expect(problem('{{ now_plus() }}')).toMatch(/now_plus\(\) requires a whole-number `seconds` argument/);
    expect(problem('{{ now_ms() }}', { frozenClock: 'yesterday' })).toMatch(/freeze_clock "yesterday" is not an RFC 3339 time/);
  });
});

describe('ids', () => {
  it('uuid_v4 is a version-4 UUID, repeatable with a seed', () => {
    expect(render('{{ uuid_v4() }}')).toMatch(UUID(4));
    expect(render('{{ uuid_v4(seed=42) }}')).toBe(render('{{ uuid_v4(seed=42) }}'));
    expect(render('{{ uuid_v4(seed=42) }}')).not.toBe(render('{{ uuid_v4(seed=43) }}'));
    expect(render('{{ fake_uuid() }}')).toMatch(UUID(4));
  });

  it('uuid_v5 matches RFC 4122 name-based UUIDs', () => {
    expect(render('{{ uuid_v5(ns="6ba7b810-9dad-11d1-80b4-00c04fd430c8", name="example.com") }}')).toBe('cfbff0d1-9375-5685-968c-48ce8b15ae17');
    expect(render('{{ uuid_v5(ns="dns", name="example.com") }}')).toBe('cfbff0d1-9375-5685-968c-48ce8b15ae17');
    expect(render('{{ uuid_v5(ns="url", name="http://python.org/") }}')).toBe('4c565f0d-3f5a-5890-b41b-20cf47701c5e');
    expect(problem('{{ uuid_v5(ns="nope", name="x") }}')).toMatch(/uuid_v5\(\) `ns` must be a UUID/);
  });

  it('uuid_v7 and ulid start with the (frozen) time', () => {
    const v7 = render('{{ uuid_v7() }}', { frozenClock: FROZEN });
    expect(v7).toMatch(UUID(7));
    expect(parseInt(v7.replace(/-/g, '').slice(0, 12), 16)).toBe(1735689600000);
    const id = render('{{ ulid() }}', { frozenClock: FROZEN });
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(id.slice(0, 10)).toBe('01JGFJJZ00');
    expect(render('{{ ulid(seed=1) }}', { frozenClock: FROZEN })).toBe(render('{{ ulid(seed=1) }}', { frozenClock: FROZEN }));
  });

  it('trace ids, span ids, traceparent and baggage follow W3C trace context', () => {
    expect(render('{{ trace_id() }}')).toMatch(/^[0-9a-f]{32}$/);
    expect(render('{{ span_id() }}')).toMatch(/^[0-9a-f]{16}$/);
    expect(render('{{ trace_id(seed=3) }}')).toBe(render('{{ trace_id(seed=3) }}'));
    expect(render('{{ traceparent() }}')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const tid = '4bf92f3577b34da6a3ce929d0e0e4736';
    expect(render(`{{ traceparent(trace_id="${tid}", span_id="00f067aa0ba902b7", sampled=0) }}`)).toBe(`00-${tid}-00f067aa0ba902b7-00`);
    expect(problem('{{ traceparent(trace_id="xyz") }}')).toMatch(/`trace_id` must be 32 lowercase hex digits/);
    expect(render('{{ baggage(map={"tenant": "a b", "n": 1}) }}')).toBe('tenant=a%20b,n=1');
  });

  it('rand_hex has n hex digits (16 by default)', () => {
    expect(render('{{ rand_hex() }}')).toMatch(/^[0-9a-f]{16}$/);
    expect(render('{{ rand_hex(n=5, seed=9) }}')).toMatch(/^[0-9a-f]{5}$/);
    expect(render('{{ rand_hex(n=40, seed=9) }}')).toBe(render('{{ rand_hex(40, 9) }}'));
  });
});

describe('collections and sequences', () => {
  it('seq counts per name within one render', () => {
    expect(render('{{ seq(name="a") }}{{ seq(name="a") }}{{ seq(name="b", start=10, step=5) }}{{ seq(name="b") }}{{ seq(name="a") }}')).toBe('0110152');
    expect(problem('{{ seq() }}')).toMatch(/seq\(\) requires a string `name` argument/);
  });

  it('pick, shuffle and sample draw from the list, repeatably with a seed', () => {
    for (let seed = 0; seed < 20; seed++) {
      expect(['a', 'b', 'c']).toContain(render(`{{ pick(list=["a", "b", "c"], seed=${seed}) }}`));
      const shuffled = render(`{{ shuffle(list=[1, 2, 3, 4, 5], seed=${seed}) | join(sep=",") }}`).split(',');
      expect([...shuffled].sort()).toEqual(['1', '2', '3', '4', '5']);
      const sample = render(`{{ sample(list=[1, 2, 3, 4, 5], k=3, seed=${seed}) | join(sep=",") }}`).split(',');
      expect(new Set(sample).size).toBe(3);
    }
    expect(render('{{ shuffle(list=[1,2,3,4,5,6,7,8], seed=4) | join }}')).toBe(render('{{ shuffle(list=[1,2,3,4,5,6,7,8], seed=4) | join }}'));
    expect(problem('{{ pick(list=[]) }}')).toMatch(/pick\(\) requires a non-empty `list`/);
    expect(problem('{{ sample(list=[1], k=2) }}')).toMatch(/sample\(\) `k` \(2\) must be between 0 and the list size \(1\)/);
  });

  it('weighted never picks a zero weight and follows the weights', () => {
    const counts: Record<string, number> = { a: 0, b: 0, z: 0 };
    for (let seed = 0; seed < 200; seed++) counts[render(`{{ weighted(pairs=[["a", 3], ["z", 0], ["b", 1]], seed=${seed}) }}`)]! += 1;
    expect(counts.z).toBe(0);
    expect(counts.a).toBeGreaterThan(counts.b! * 2);
    expect(problem('{{ weighted(pairs=[["a"]]) }}')).toMatch(/weighted\(\) pair 1 must be \[value, weight\]/);
  });
});

describe('string transforms', () => {
  it('slug, kebab and snake as functions and filters', () => {
    expect(render('{{ slug(s="Hello, World! 2025") }}|{{ kebab(s="HelloWorld fooBar") }}|{{ snake(s="HTTPServer userId") }}')).toBe(
      'hello-world-2025|hello-world-foo-bar|http_server_user_id',
    );
    expect(render('{{ "My Test Suite" | slug }}|{{ "My Test Suite" | kebab }}|{{ "My Test Suite" | snake }}|{{ "my test suite" | camel }}|{{ "my_test suite" | pascal }}')).toBe(
      'my-test-suite|my-test-suite|my_test_suite|myTestSuite|MyTestSuite',
    );
  });
});

describe('seeds', () => {
  it('[determinism] seed makes a whole render repeatable, and different seeds differ', () => {
    const src = '{{ uuid_v4() }} {{ trace_id() }} {{ fake_name() }} {{ pick(list=[1,2,3,4,5,6,7,8,9]) }} {{ rand_hex() }}';
    expect(render(src, { seed: 42 })).toBe(render(src, { seed: 42 }));
    expect(render(src, { seed: 42 })).not.toBe(render(src, { seed: 43 }));
    // Two calls in one render still differ.
    const [a, b] = render('{{ uuid_v4() }} {{ uuid_v4() }}', { seed: 1 }).split(' ');
    expect(a).not.toBe(b);
  });

  it('rejects a seed that is not a whole number', () => {
    expect(problem('{{ uuid_v4(seed="x") }}')).toMatch(/uuid_v4\(\) argument `seed` must be a whole number/);
  });

  it('renders bad arguments empty in the lenient first pass ([vars] may not be read yet)', () => {
    expect(renderTemplate({ source: 'x = "{{ sha256(s=vars.missing) }}"', env: {}, lenient: true })).toEqual({ ok: true, text: 'x = ""' });
  });
});
