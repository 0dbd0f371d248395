// Edits of a test file's text for later features (accepted suggestions, repairs): set or remove a key,
// replace, insert or remove a table — changing only the edited lines, so comments and formatting
// elsewhere stay as the user wrote them. Pure: returns the new text and a unified diff, writes nothing.
import { createTwoFilesPatch } from 'diff';
import type { Problem } from '../../errors';
import { formatPath, parsePath, type PathSegment } from '../path';
import { SECTION_ORDER } from '../schema/root';
import { parseToml } from '../toml-parse';
import { layoutOf, type Block, type BlockLayout } from './blocks';
import { tomlKey, tomlValue } from './toml-value';

export type EditResult = { ok: true; text: string; diff: string; changed: boolean } | { ok: false; problem: Problem };

function fail(message: string, path?: string): EditResult {
  return { ok: false, problem: { code: 'toml.shape', message, path } };
}

function finish(before: string, lines: string[], file = 'test.clnrm.toml'): EditResult {
  const text = lines.join('\n');
  const parsed = parseToml(text, file);
  if (!parsed.ok) return { ok: false, problem: { ...parsed.problem, message: `the edit would make the file invalid TOML: ${parsed.problem.message}` } };
  return { ok: true, text, diff: createTwoFilesPatch(file, file, before, text), changed: text !== before };
}

/** Blocks of `tablePath` itself and of every table below it (`expect.span[1]` → its sub-tables). */
function blockRange(layout: BlockLayout, tablePath: string): { first: number; last: number } | undefined {
  const index = layout.blocks.findIndex((b) => b.header.path === tablePath);
  if (index < 0) return undefined;
  let last = index;
  while (last + 1 < layout.blocks.length) {
    const next = layout.blocks[last + 1]!.header.path;
    if (next.startsWith(tablePath + '.') || next.startsWith(tablePath + '[')) last++;
    else break;
  }
  return { first: index, last };
}

/** Last line of a block that holds content (trailing blank lines and comments belong to no key). */
function lastContentLine(layout: BlockLayout, block: Block): number {
  let i = block.end - 1;
  while (i > block.headerLine && (layout.lines[i]!.trim() === '' || layout.lines[i]!.trim().startsWith('#')) && !layout.continuation.has(i)) i--;
  return i;
}

function bodyLines(entries: Record<string, unknown>): string[] {
  return Object.entries(entries)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${tomlKey(k)} = ${tomlValue(v)}`);
}

function headerFor(tablePath: string, isArray: boolean): string {
  // `expect.span[2]` is written `[[expect.span]]`; indices inside (scenario[0].policy) are implied by position.
  const keys = parsePath(tablePath).filter((s): s is string => typeof s === 'string').map(tomlKey).join('.');
  return isArray ? `[[${keys}]]` : `[${keys}]`;
}

/** Values that cannot be written (undefined, functions, symbols) make the edit fail, never throw. */
function guarded(edit: () => EditResult): EditResult {
  try {
    return edit();
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
}

/** Sets `key` (possibly dotted, `attrs.all`) in table `tablePath` ('' = top level) to `value`. */
export function setKey(source: string, tablePath: string, key: string, value: unknown, file?: string): EditResult {
  return guarded(() => setKeyUnguarded(source, tablePath, key, value, file));
}

function setKeyUnguarded(source: string, tablePath: string, key: string, value: unknown, file?: string): EditResult {
  const layout = layoutOf(source);
  const lines = [...layout.lines];
  const keySegments = parsePath(key).map(String);
  const written = `${keySegments.map(tomlKey).join('.')} = ${tomlValue(value)}`;
  const existing = layout.scan.keyLines.find((k) => k.tablePath === tablePath && k.keys.join('\u0000') === keySegments.join('\u0000'));
  if (existing) {
    const indent = /^\s*/.exec(lines[existing.lineIndex]!)![0];
    const comment = existing.comment ? `  ${existing.comment}` : '';
    lines.splice(existing.lineIndex, existing.endLineIndex - existing.lineIndex + 1, indent + written + comment);
    return finish(source, lines, file);
  }
  if (tablePath === '') {
    lines.splice(insertionInPreamble(layout), 0, written);
    return finish(source, lines, file);
  }
  const block = layout.blocks.find((b) => b.header.path === tablePath);
  if (!block) {
    const inline = setInInlineTable(source, layout, tablePath, keySegments, value, file);
    return inline ?? insertTableUnguarded(source, tablePath, { [key]: value }, file, {});
  }
  lines.splice(lastContentLine(layout, block) + 1, 0, written);
  return finish(source, lines, file);
}

/**
 * `tablePath` written as a key with an inline table (`env = { A = "1" }`): rewrite that one key with
 * the new entry merged in. Undefined when `tablePath` is not such a key.
 */
function setInInlineTable(
  source: string,
  layout: BlockLayout,
  tablePath: string,
  keySegments: string[],
  value: unknown,
  file?: string,
): EditResult | undefined {
  const owner = layout.scan.keyLines.find((k) => formatPath([...parsePath(k.tablePath), ...k.keys]) === tablePath);
  if (!owner) return undefined;
  const parsed = parseToml(source, file);
  if (!parsed.ok) return { ok: false, problem: parsed.problem };
  let current: unknown = parsed.value;
  for (const segment of parsePath(tablePath)) current = (current as Record<string | number, unknown> | undefined)?.[segment];
  if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
  const merged: Record<string, unknown> = { ...(current as Record<string, unknown>) };
  let target = merged;
  keySegments.forEach((segment, i) => {
    if (i === keySegments.length - 1) target[segment] = value;
    else {
      const next = target[segment];
      target[segment] = next !== null && typeof next === 'object' && !Array.isArray(next) ? { ...(next as Record<string, unknown>) } : {};
      target = target[segment] as Record<string, unknown>;
    }
  });
  const lines = [...layout.lines];
  const indent = /^\s*/.exec(lines[owner.lineIndex]!)![0];
  const comment = owner.comment ? `  ${owner.comment}` : '';
  lines.splice(owner.lineIndex, owner.endLineIndex - owner.lineIndex + 1, `${indent}${owner.keys.map(tomlKey).join('.')} = ${tomlValue(merged)}${comment}`);
  return finish(source, lines, file);
}

function insertionInPreamble(layout: BlockLayout): number {
  let i = layout.preambleEnd;
  while (i > 0 && layout.lines[i - 1]!.trim() === '') i--;
  return i;
}

/** Removes `key` from table `tablePath`. */
export function removeKey(source: string, tablePath: string, key: string, file?: string): EditResult {
  const layout = layoutOf(source);
  const keySegments = parsePath(key).map(String);
  const existing = layout.scan.keyLines.find((k) => k.tablePath === tablePath && k.keys.join('\u0000') === keySegments.join('\u0000'));
  if (!existing) return fail(`\`${formatPath([...parsePath(tablePath), ...keySegments])}\` is not written in this file`, tablePath);
  const lines = [...layout.lines];
  lines.splice(existing.lineIndex, existing.endLineIndex - existing.lineIndex + 1);
  return finish(source, lines, file);
}

/**
 * Replaces the body of table `tablePath` (its header and the comments above it stay) with `entries`;
 * sub-tables are removed. Inserts the table when it does not exist yet.
 */
export function setTable(source: string, tablePath: string, entries: Record<string, unknown>, file?: string): EditResult {
  return guarded(() => setTableUnguarded(source, tablePath, entries, file));
}

function setTableUnguarded(source: string, tablePath: string, entries: Record<string, unknown>, file?: string): EditResult {
  const layout = layoutOf(source);
  const range = blockRange(layout, tablePath);
  if (!range) return insertTableUnguarded(source, tablePath, entries, file, {});
  const first = layout.blocks[range.first]!;
  const last = layout.blocks[range.last]!;
  const lines = [...layout.lines];
  const end = lastContentLine(layout, last) + 1;
  lines.splice(first.headerLine + 1, end - first.headerLine - 1, ...bodyLines(entries));
  return finish(source, lines, file);
}

/**
 * Adds a table. `expect.span` with `{ array: true }` appends a `[[expect.span]]` entry after the last
 * one; otherwise the table goes after the last table of its section, or where canonical order puts it.
 */
export function insertTable(
  source: string,
  tablePath: string,
  entries: Record<string, unknown>,
  file?: string,
  options: { array?: boolean } = {},
): EditResult {
  return guarded(() => insertTableUnguarded(source, tablePath, entries, file, options));
}

function insertTableUnguarded(source: string, tablePath: string, entries: Record<string, unknown>, file: string | undefined, options: { array?: boolean }): EditResult {
  const layout = layoutOf(source);
  if (!options.array && layout.blocks.some((b) => b.header.path === tablePath)) return fail(`table \`${tablePath}\` already exists`, tablePath);
  const segments: PathSegment[] = parsePath(tablePath);
  const top = String(segments[0] ?? '');
  const block = [headerFor(tablePath, options.array ?? false), ...bodyLines(entries)];
  const lines = [...layout.lines];
  const sameSection = layout.blocks.filter((b) => b.header.keys[0] === top);
  let at: number;
  if (sameSection.length > 0) {
    const lastBlock = sameSection[sameSection.length - 1]!;
    at = lastContentLine(layout, lastBlock) + 1;
  } else {
    const rank = (t: string) => (SECTION_ORDER.includes(t) ? SECTION_ORDER.indexOf(t) : SECTION_ORDER.length);
    const next = layout.blocks.find((b) => rank(b.header.keys[0] ?? '') > rank(top));
    at = next ? next.start : lines.length;
    while (at > 0 && lines[at - 1]!.trim() === '') at--;
  }
  const before = at > 0 && lines[at - 1]!.trim() !== '' ? [''] : [];
  const after = at < lines.length && lines[at]!.trim() !== '' ? [''] : [];
  lines.splice(at, 0, ...before, ...block, ...after);
  if (lines[lines.length - 1] !== '') lines.push('');
  return finish(source, lines, file);
}

/** Removes table `tablePath` with its sub-tables and the comments directly above it. */
export function removeTable(source: string, tablePath: string, file?: string): EditResult {
  const layout = layoutOf(source);
  const range = blockRange(layout, tablePath);
  if (!range) return fail(`table \`${tablePath}\` is not written in this file`, tablePath);
  const first = layout.blocks[range.first]!;
  const last = layout.blocks[range.last]!;
  const lines = [...layout.lines];
  let start = first.start;
  // At the end of the file, also drop the blank lines that separated the table from the one before.
  if (last.end >= lines.length - 1) while (start > 0 && lines[start - 1]!.trim() === '') start--;
  lines.splice(start, last.end - start);
  if (lines[lines.length - 1] !== '') lines.push('');
  return finish(source, lines, file);
}
