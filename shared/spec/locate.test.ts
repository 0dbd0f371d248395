import { describe, expect, it } from 'vitest';
import { Locator } from './locate';
import { formatPath, parsePath } from './path';

const SOURCE = `# top comment
title = "x" # trailing
[meta]
name = "a"

[service.api]
ports = [8080,
  # a comment inside the array
  9090]
env = { A = "1", "b.c" = { d = 2 } }

[[scenario]]
name = """multi
[not.a.header]
name = "not a key"
"""
[[scenario.steps]]
command = ["a", 'b']

[[scenario]]
name = 'two'
[[scenario.steps]]
[[scenario.steps]]
a.b.c = 1
[expect.status.by_name]
"http.request" = "OK"
`;

describe('Locator', () => {
  const l = new Locator(SOURCE);
  const at = (path: string) => {
    const k = l.key(path);
    return `${k.line}:${k.column}`;
  };

  it('finds keys in tables, with their value position', () => {
    expect(at('title')).toBe('2:1');
    expect(at('meta.name')).toBe('4:1');
    expect(l.value('meta.name')).toMatchObject({ line: 4, column: 8, exact: true });
  });

  it('finds array elements across lines and comments', () => {
    expect(at('service.api.ports')).toBe('7:1');
    expect(at('service.api.ports[0]')).toBe('7:10');
    expect(at('service.api.ports[1]')).toBe('9:3');
  });

  it('finds keys inside inline tables, including quoted and nested ones', () => {
    expect(at('service.api.env.A')).toBe('10:9');
    expect(at('service.api.env."b.c".d')).toBe('10:28');
  });

  it('counts arrays of tables and nested arrays of tables', () => {
    expect(at('scenario[0]')).toBe('12:1');
    expect(at('scenario[0].steps[0].command[1]')).toBe('18:17');
    expect(at('scenario[1].name')).toBe('21:1');
    expect(at('scenario[1].steps[1]')).toBe('23:1');
    expect(at('scenario[1].steps[1].a.b.c')).toBe('24:1');
  });

  it('does not mistake multi-line string content for headers or keys', () => {
    expect(l.has('not.a.header')).toBe(false);
    expect(l.scan.headers.map((h) => h.path)).not.toContain('not.a.header');
  });

  it('handles quoted keys in paths', () => {
    expect(at('expect.status.by_name."http.request"')).toBe('26:1');
  });

  it('falls back to the nearest written ancestor for missing keys', () => {
    expect(l.key('service.api.image')).toEqual({ line: 6, column: 1, exact: false });
    expect(l.key('nothing.here')).toEqual({ line: 1, column: 1, exact: false });
  });

  it('reports the lines a multi-line value spans', () => {
    const ports = l.scan.keyLines.find((k) => k.keys[0] === 'ports')!;
    expect([ports.lineIndex, ports.endLineIndex]).toEqual([6, 8]);
  });
});

describe('paths', () => {
  it('round-trips quoted and indexed segments', () => {
    const segs = ['expect', 'span', 2, 'attrs', 'all', 'http.method'];
    expect(formatPath(segs)).toBe('expect.span[2].attrs.all."http.method"');
    expect(parsePath(formatPath(segs))).toEqual(segs);
  });
});

describe('scanToml on text that is not TOML', () => {
  it('terminates and never throws on arbitrary input (raw templates, broken files)', async () => {
    const fc = await import('fast-check');
    const { scanToml } = await import('./toml-scan');
    const pieces = fc.constantFrom('[', ']', '[[', ']]', '{', '}', '=', ',', '"', "'", '"""', "'''", '#', '\n', ' ', 'a', 'b.c', '1', '{{ x }}', '{% for %}', '\\');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 60 }), (parts) => {
        scanToml(parts.join(''));
      }),
      { numRuns: 2000 },
    );
    expect(scanToml('x = [1, }\ny = 2\n').positions.has('x')).toBe(true);
  });
});
