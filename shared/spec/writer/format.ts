// `clnrm fmt`: the canonical layout of a test file. Tables in canonical section order (meta, test,
// vars, matrix, otel, services, steps, scenario, expect, …; unknown sections last, in their order),
// a table's sub-tables and array entries kept in their written order, `key = value` spacing, headers
// written `[a.b]`, no indentation, no trailing spaces, one blank line between tables, comments kept
// where they were. Multi-line values are left exactly as written. The result is checked to parse to
// the same data as the input, so formatting can never change a test's meaning.
import { sameData } from './same-data';
import type { Problem } from '../../errors';
import { SECTION_ORDER } from '../schema/root';
import { parseToml } from '../toml-parse';
import { layoutOf, type Block } from './blocks';
import { tomlKey } from './toml-value';

export type FormatResult = { ok: true; text: string; changed: boolean } | { ok: false; problem: Problem };

function headerText(block: Block, original: string): string {
  const keys = block.header.keys.map(tomlKey).join('.');
  const open = block.header.isArray ? '[[' : '[';
  const close = block.header.isArray ? ']]' : ']';
  const comment = trailingComment(original);
  return `${open}${keys}${close}${comment ? ` ${comment}` : ''}`;
}

/** A `# comment` after the header's closing bracket (headers hold no strings with # in practice,
 * but quoted keys may: only look after the last bracket). */
function trailingComment(headerLine: string): string {
  const close = headerLine.lastIndexOf(']');
  const hash = headerLine.indexOf('#', close);
  return hash < 0 ? '' : headerLine.slice(hash).trimEnd();
}

function collapseBlanks(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

export function formatToml(source: string, file?: string): FormatResult {
  const before = parseToml(source, file);
  if (!before.ok) return { ok: false, problem: before.problem };
  // Work on LF lines; the file keeps its own line-ending style.
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const text = source.replace(/\r\n/g, '\n');
  const layout = layoutOf(text);
  const { lines, continuation } = layout;
  const keyLineAt = new Map(layout.scan.keyLines.map((k) => [k.lineIndex, k]));

  const formatLine = (i: number): string => {
    const line = lines[i]!;
    if (continuation.has(i)) return line;
    const key = keyLineAt.get(i);
    if (key) {
      const rest = line.slice(key.valueOffset);
      const value = key.endLineIndex === i ? rest.trimEnd() : rest;
      return `${key.keys.map(tomlKey).join('.')} = ${value}`;
    }
    return line.trim();
  };

  const formatRange = (from: number, to: number, header?: Block): string[] => {
    const out: string[] = [];
    for (let i = from; i < to; i++) out.push(header && i === header.headerLine ? headerText(header, lines[i]!) : formatLine(i));
    // Blank lines collapse, except inside multi-line values.
    const result: string[] = [];
    for (let i = 0; i < out.length; i++) {
      const original = from + i;
      if (out[i] === '' && !continuation.has(original) && (result.length === 0 || result[result.length - 1] === '')) continue;
      result.push(out[i]!);
    }
    while (result.length > 0 && result[result.length - 1] === '' && !continuation.has(from + result.length - 1)) result.pop();
    // No blank line between a header and its first key.
    if (header) {
      const h = header.headerLine - from;
      while (result[h + 1] === '' && !continuation.has(header.headerLine + 1)) result.splice(h + 1, 1);
    }
    return result;
  };

  // Group blocks by their top-level key; order groups canonically, keep order inside a group.
  const groups = new Map<string, Block[]>();
  for (const block of layout.blocks) {
    const top = block.header.keys[0] ?? '';
    if (!groups.has(top)) groups.set(top, []);
    groups.get(top)!.push(block);
  }
  const rank = (top: string) => {
    const i = SECTION_ORDER.indexOf(top);
    return i < 0 ? SECTION_ORDER.length : i;
  };
  const ordered = [...groups.entries()].map(([top, blocks], seen) => ({ top, blocks, seen }));
  ordered.sort((a, b) => rank(a.top) - rank(b.top) || a.seen - b.seen);

  const sections: string[][] = [];
  const preamble = collapseBlanks(formatRange(0, layout.preambleEnd));
  if (preamble.length > 0) sections.push(preamble);
  for (const group of ordered) for (const block of group.blocks) sections.push(formatRange(block.start, block.end, block));
  const formatted = (sections.map((s) => s.join('\n')).join('\n\n') + '\n').replace(/\n/g, eol);

  const after = parseToml(formatted, file);
  if (!after.ok || !sameData(after.value, before.value)) {
    return {
      ok: false,
      problem: { code: 'internal', message: 'formatting would change the meaning of this file; it was left unchanged (please report it)', file },
    };
  }
  return { ok: true, text: formatted, changed: formatted !== source };
}
