// "Edit, then accept": a suggestion's snippet as the user changed it, read back into an edit of the
// same shape (one more `[[…]]` entry, one key of the same table, one pair of the same list). A snippet
// that says anything else — another table, a second entry, a different key — is refused with a
// problem saying what it must keep, so what is written is exactly what was shown.
import type { Problem } from '../errors';
import { parseToml } from '../spec/toml-parse';
import { canonicalJson, snippetOf } from './compose';
import type { Suggestion, SuggestionEdit } from './types';

const isTable = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function at(root: unknown, segments: readonly string[]): unknown {
  let node = root;
  for (const s of segments) node = isTable(node) ? node[s] : undefined;
  return node;
}

function editOf(original: SuggestionEdit, root: unknown): SuggestionEdit | string {
  const table = original.table.split('.');
  const node = at(root, table);
  if (original.type === 'entry') {
    if (!Array.isArray(node) || node.length !== 1 || !isTable(node[0])) return `keep exactly one [[${original.table}]] entry`;
    return { ...original, entries: node[0] };
  }
  if (!isTable(node) || Object.keys(node).length !== 1) return `keep exactly one key under [${original.table}]`;
  const [key, value] = Object.entries(node)[0]!;
  if (original.type === 'key') return { ...original, key, value };
  const pair = Array.isArray(value) && value.length === 1 ? (value[0] as unknown) : undefined;
  if (key !== original.key || !Array.isArray(pair) || pair.length !== 2 || !pair.every((p) => typeof p === 'string')) {
    return `keep ${original.key} = [["A", "B"]] under [${original.table}]: one pair of span names`;
  }
  return { ...original, pair: [pair[0] as string, pair[1] as string] };
}

/** The suggestion with the user's snippet as its edit, or why the snippet cannot be written. */
export function editedSuggestion(original: Suggestion, text: string): { ok: true; suggestion: Suggestion } | { ok: false; problem: Problem } {
  const fail = (message: string): { ok: false; problem: Problem } => ({ ok: false, problem: { code: 'suggest.edit-invalid', message: `${original.id}: ${message}` } });
  const parsed = parseToml(text, original.id);
  if (!parsed.ok) return fail(`the edited snippet is not valid TOML: ${parsed.problem.message}${parsed.problem.line ? ` (line ${parsed.problem.line})` : ''}`);
  const edit = editOf(original.edit, parsed.value);
  if (typeof edit === 'string') return fail(`the edited snippet must stay one ${original.kind} suggestion: ${edit}`);
  const snippet = snippetOf(edit);
  const again = parseToml(snippet);
  // Anything beside the one edit (another table, another key) would be dropped silently: refuse it.
  if (!again.ok || canonicalJson(again.value) !== canonicalJson(parsed.value)) return fail(`the edited snippet says more than one ${original.kind} suggestion; keep only the table it started with`);
  return { ok: true, suggestion: { ...original, edit, snippet } };
}
