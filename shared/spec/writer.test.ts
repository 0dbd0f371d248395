import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { formatToml, insertTable, removeKey, removeTable, setKey, setTable, unifiedDiff } from './writer';

const MESSY = `# Test file header comment

  [[scenario]]   # the main scenario
name="s"
run =  "echo"


[service.api]
  image="x"  # pinned image
ports = [1,
   2]

# about meta
[meta]
name = "n"
[vars]
text = """
  keep   these   spaces
"""
[custom]
a=1
[[scenario]]
name = "t"
run = "a"
`;

const CANONICAL = `# Test file header comment

# about meta
[meta]
name = "n"

[vars]
text = """
  keep   these   spaces
"""

[service.api]
image = "x"  # pinned image
ports = [1,
   2]

[[scenario]] # the main scenario
name = "s"
run = "echo"

[[scenario]]
name = "t"
run = "a"

[custom]
a = 1
`;

function ok<T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> {
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r as Extract<T, { ok: true }>;
}

describe('formatToml', () => {
  it('writes the canonical layout and keeps every comment', () => {
    expect(ok(formatToml(MESSY)).text).toBe(CANONICAL);
  });

  it('is idempotent', () => {
    const once = ok(formatToml(MESSY)).text;
    const twice = ok(formatToml(once));
    expect(twice.text).toBe(once);
    expect(twice.changed).toBe(false);
  });

  it('never changes the data, on every fixture', () => {
    const dir = join(__dirname, 'fixtures');
    for (const name of readdirSync(dir)) {
      const source = readFileSync(join(dir, name), 'utf8');
      if (source.includes('{{')) continue;
      const formatted = ok(formatToml(source)).text;
      expect(parse(formatted)).toEqual(parse(source));
      expect(ok(formatToml(formatted)).text).toBe(formatted);
    }
  });

  it('keeps CRLF line endings, including inside multi-line strings', () => {
    const crlf = '[meta]\r\nname="n"\r\ndescription = """\r\nline one\r\nline two"""\r\n';
    const r = ok(formatToml(crlf));
    expect(r.text).toBe('[meta]\r\nname = "n"\r\ndescription = """\r\nline one\r\nline two"""\r\n');
    expect(ok(formatToml(r.text)).changed).toBe(false);
  });

  it('refuses invalid TOML with the syntax error', () => {
    const r = formatToml('[meta\nname = 1\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatchObject({ code: 'toml.syntax', line: 1 });
  });
});

const SOURCE = `# keep me
[meta]
name = "n"  # the name

[service.api]
image = "old"
# a comment about ports
ports = [8080]

[[expect.span]]
name = "a"

# about b
[[expect.span]]
name = "b"
attrs.all = { k = "v" }
`;

describe('edits', () => {
  it('keeps the trailing comment of a replaced key', () => {
    const r = ok(setKey(SOURCE, 'meta', 'name', 'm'));
    expect(r.text).toBe(SOURCE.replace('name = "n"  # the name', 'name = "m"  # the name'));
  });

  it('replaces a key value and leaves everything else alone', () => {
    const r = ok(setKey(SOURCE, 'service.api', 'image', 'new:1'));
    expect(r.text).toBe(SOURCE.replace('image = "old"', 'image = "new:1"'));
    expect(r.diff).toContain('-image = "old"\n+image = "new:1"');
    expect(r.changed).toBe(true);
  });

  it('adds a key at the end of its table, and in an array-of-tables entry', () => {
    const r = ok(setKey(SOURCE, 'service.api', 'depends_on', ['db']));
    expect(r.text).toContain('ports = [8080]\ndepends_on = ["db"]\n\n[[expect.span]]');
    const s = ok(setKey(SOURCE, 'expect.span[0]', 'kind', 'server'));
    expect(s.text).toContain('name = "a"\nkind = "server"\n\n# about b');
  });

  it('sets a dotted key in place', () => {
    const r = ok(setKey(SOURCE, 'expect.span[1]', 'attrs.all', { k: 'w', 'http.method': 'GET' }));
    expect(r.text).toContain('attrs.all = { k = "w", "http.method" = "GET" }');
    expect(parse(r.text)).toMatchObject({ expect: { span: [{}, { attrs: { all: { 'http.method': 'GET' } } }] } });
  });

  it('sets a key inside a table written inline', () => {
    const src = `[service.api]\nimage = "x"\nenv = { A = "1" } # vars\nports = [1]\n`;
    const r = ok(setKey(src, 'service.api.env', 'B', '2'));
    expect(r.text).toBe(`[service.api]\nimage = "x"\nenv = { A = "1", B = "2" }  # vars\nports = [1]\n`);
  });

  it('removes a key', () => {
    const r = ok(removeKey(SOURCE, 'service.api', 'ports'));
    expect(r.text).toBe(SOURCE.replace('ports = [8080]\n', ''));
    expect(removeKey(SOURCE, 'service.api', 'nope').ok).toBe(false);
  });

  it('replaces a table body, keeping its header and comments around it', () => {
    const r = ok(setTable(SOURCE, 'service.api', { image: 'pg', ports: [5432] }));
    expect(r.text).toBe(SOURCE.replace('image = "old"\n# a comment about ports\nports = [8080]', 'image = "pg"\nports = [5432]'));
  });

  it('inserts tables in canonical position, and appends array entries', () => {
    const r = ok(insertTable(SOURCE, 'otel', { exporter: 'otlp' }));
    expect(r.text).toContain('name = "n"  # the name\n\n[otel]\nexporter = "otlp"\n\n[service.api]');
    const s = ok(insertTable(SOURCE, 'expect.span', { name: 'c' }, undefined, { array: true }));
    expect(s.text.endsWith('attrs.all = { k = "v" }\n\n[[expect.span]]\nname = "c"\n')).toBe(true);
    expect((parse(s.text) as { expect: { span: unknown[] } }).expect.span).toHaveLength(3);
    expect(insertTable(SOURCE, 'meta', {}).ok).toBe(false);
  });

  it('removes a table with the comments attached to it', () => {
    const r = ok(removeTable(SOURCE, 'expect.span[1]'));
    expect(r.text).toBe(SOURCE.slice(0, SOURCE.indexOf('\n# about b')));
  });

  it('refuses an edit that would break the file', () => {
    const r = setKey(SOURCE, 'meta', 'name', undefined as unknown as string);
    expect(r.ok).toBe(false);
  });

  it('is pure: the diff describes the change and applying nothing gives no diff', () => {
    const r = ok(setKey(SOURCE, 'meta', 'version', '1.0'));
    expect(r.diff).toMatch(/^@@ .* @@$/m);
    expect(unifiedDiff(SOURCE, SOURCE)).toBe('');
  });
});
