// Turns mined invariants into suggestions: invariants about one span rule merge into one
// `[[expect.span]]` entry (a span's attribute constants, its events, a window's contents, the
// topology's edges), then each gets a stable id from its content and its TOML snippet.
import { fnv1a64 } from '../expect/determinism';
import { tomlKey, tomlValue } from '../spec/writer';
import type { Invariant, Suggestion, SuggestionEdit, SuggestionKind } from './types';
import { SUGGESTION_KINDS } from './types';

const MAX_EVIDENCE = 10;

const ID_PREFIX: Record<SuggestionKind, string> = {
  span: 'span',
  count: 'count',
  attribute: 'attr',
  event: 'event',
  duration: 'dur',
  status: 'status',
  order: 'order',
  window: 'window',
  topology: 'topo',
  propagation: 'prop',
};

/** JSON with object keys sorted: the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Deep merge for entries of one rule: tables merge, lists concatenate without repeats. */
function mergeValues(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b)) {
    const seen = new Set(a.map(canonicalJson));
    return [...a, ...b.filter((x) => !seen.has(canonicalJson(x)))];
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
    for (const [k, v] of Object.entries(b as Record<string, unknown>)) out[k] = k in out ? mergeValues(out[k], v) : v;
    return out;
  }
  return b;
}

function mergeGroup(group: readonly Invariant[]): Invariant {
  if (group.length === 1) return group[0]!;
  const first = group[0]!;
  const edit = group.reduce<SuggestionEdit>((acc, inv) => {
    if (acc.type !== 'entry' || inv.edit.type !== 'entry') return acc;
    return { ...acc, entries: mergeValues(acc.entries, inv.edit.entries) as Record<string, unknown> };
  }, first.edit);
  const evidence = [...new Set(group.flatMap((g) => g.evidence))].slice(0, MAX_EVIDENCE);
  return {
    kind: first.kind,
    subject: first.merge ?? first.subject,
    summary: group.map((g) => g.summary).join('; '),
    support: Math.min(...group.map((g) => g.support)),
    confidence: Math.min(...group.map((g) => g.confidence)),
    evidence,
    conditional: group.some((g) => g.conditional),
    edit,
  };
}

export function snippetOf(edit: SuggestionEdit): string {
  const table = edit.table.split('.').map(tomlKey).join('.');
  if (edit.type === 'entry') return [`[[${table}]]`, ...Object.entries(edit.entries).map(([k, v]) => `${tomlKey(k)} = ${tomlValue(v)}`)].join('\n');
  if (edit.type === 'key') return `[${table}]\n${tomlKey(edit.key)} = ${tomlValue(edit.value)}`;
  return `[${table}]\n${tomlKey(edit.key)} = [${tomlValue(edit.pair)}]`;
}

export function suggestionId(inv: Invariant): string {
  return `${ID_PREFIX[inv.kind]}-${fnv1a64(canonicalJson(inv.edit)).slice(0, 8)}`;
}

/** Merged, identified and sorted by kind, then subject: the order output and writes use. */
export function compose(invariants: readonly Invariant[]): Suggestion[] {
  const groups = new Map<string, Invariant[]>();
  const alone: Invariant[] = [];
  for (const inv of invariants) {
    if (inv.merge === undefined) alone.push(inv);
    else {
      const g = groups.get(inv.merge);
      if (g) g.push(inv);
      else groups.set(inv.merge, [inv]);
    }
  }
  const merged = [...alone, ...[...groups.values()].map(mergeGroup)];
  const rank = (k: SuggestionKind) => SUGGESTION_KINDS.indexOf(k);
  return merged
    .map((inv) => ({ ...inv, id: suggestionId(inv), snippet: snippetOf(inv.edit) }))
    .sort((a, b) => rank(a.kind) - rank(b.kind) || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0) || (a.id < b.id ? -1 : 1));
}
