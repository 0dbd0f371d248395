// Writes accepted suggestions into a test file's text through the comment-keeping writer
// (shared/spec/writer): each becomes one more `[[…]]` entry, one key set in an existing table (or a
// new table), or one more pair in a list. Everything outside the edited lines stays byte for byte.
import type { Problem } from '../errors';
import { formatPath } from '../spec/path';
import { insertTable, setKey, unifiedDiff, type EditResult } from '../spec/writer';
import { parseToml } from '../spec/toml-parse';
import { againstFile, keyOf, tableAt } from './filter';
import type { Suggestion, SuggestionEdit } from './types';

export type ApplyResult =
  | { readonly ok: true; readonly text: string; readonly diff: string; readonly written: readonly string[]; readonly skipped: readonly string[] }
  | { readonly ok: false; readonly problem: Problem };

const isTable = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Sets `key` in `table`, creating the table (or its parent's key) where it does not exist yet. */
function setIn(source: string, root: unknown, table: string, key: string, value: unknown, file?: string): EditResult {
  if (isTable(tableAt(root, table))) return setKey(source, table, formatPath([key]), value, file);
  const segments = table.split('.');
  // [expect.counts] missing: write the table; [expect.counts.by_name] missing: a key of [expect.counts].
  if (segments.length <= 2) return insertTable(source, table, { [key]: value }, file);
  return setIn(source, root, segments.slice(0, -1).join('.'), segments[segments.length - 1]!, { [key]: value }, file);
}

function applyOne(source: string, root: unknown, edit: SuggestionEdit, file?: string): EditResult {
  if (edit.type === 'entry') return insertTable(source, edit.table, edit.entries, file, { array: true });
  if (edit.type === 'key') return setIn(source, root, edit.table, edit.key, edit.value, file);
  const list = keyOf(tableAt(root, edit.table), edit.key);
  const pairs = Array.isArray(list) ? [...(list as unknown[]), [...edit.pair]] : [[...edit.pair]];
  return setIn(source, root, edit.table, edit.key, pairs, file);
}

/**
 * Applies suggestions in order. Ones the text already says are skipped; a conflicting one, or an
 * edit the writer refuses (it would make the TOML invalid), stops everything: nothing half-applied.
 */
export function applySuggestions(source: string, suggestions: readonly Suggestion[], file?: string): ApplyResult {
  let text = source;
  const written: string[] = [];
  const skipped: string[] = [];
  for (const s of suggestions) {
    const parsed = parseToml(text, file);
    if (!parsed.ok) return { ok: false, problem: parsed.problem };
    const verdict = againstFile(s.edit, parsed.value);
    if (verdict.state === 'asserted') {
      skipped.push(s.id);
      continue;
    }
    if (verdict.state === 'conflict') return { ok: false, problem: { code: 'suggest.conflict', message: `${s.id}: ${verdict.message}`, file } };
    const r = applyOne(text, parsed.value, s.edit, file);
    if (!r.ok) return { ok: false, problem: { ...r.problem, message: `${s.id} cannot be written: ${r.problem.message}` } };
    text = r.text;
    written.push(s.id);
  }
  return { ok: true, text, diff: unifiedDiff(source, text, file), written, skipped };
}
