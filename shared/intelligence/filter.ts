// Which mined invariants become suggestions: at or above the confidence threshold and the minimum
// support; not implied by a stronger one; not already in the file. A suggestion that would change
// what the file already says is kept, marked with the conflict, and never written.
import type { Invariant, Suggestion, SuggestionEdit } from './types';
import { canonicalJson } from './compose';

export function passesThresholds(inv: Invariant, minConfidence: number, minSupport: number): boolean {
  return inv.confidence >= minConfidence && inv.support >= minSupport;
}

const isEdit = (inv: Invariant, table: string, key?: string) => inv.edit.type === 'key' && inv.edit.table === table && (key === undefined || inv.edit.key === key);

/**
 * Drops invariants a kept one implies: with "every span OK", per-name OK statuses, "no ERROR span"
 * rules and errors_total = 0; with an exact count for every name, the exact spans_total.
 */
export function withoutRedundant(kept: readonly Invariant[], names: readonly string[]): Invariant[] {
  const allOk = kept.some((i) => isEdit(i, 'expect.status', 'all'));
  const exact = new Set(kept.filter((i) => isEdit(i, 'expect.counts.by_name') && canonicalJson((i.edit as { value: unknown }).value).startsWith('{"eq"')).map((i) => i.subject));
  const everyNameExact = names.every((n) => exact.has(n));
  return kept.filter((i) => {
    if (allOk) {
      if (isEdit(i, 'expect.status.by_name') && (i.edit as { value: unknown }).value === 'OK') return false;
      if (isEdit(i, 'expect.counts', 'errors_total')) return false;
      if (i.kind === 'status' && i.edit.type === 'entry') return false;
    }
    if (everyNameExact && isEdit(i, 'expect.counts', 'spans_total')) return false;
    return true;
  });
}

/** The value at a dotted table path of a parsed file ('expect.counts.by_name'). */
export function tableAt(root: unknown, table: string): unknown {
  let v: unknown = root;
  for (const k of table.split('.')) v = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

/** One key of a table (keys may hold dots: "db.query"). */
export function keyOf(table: unknown, key: string): unknown {
  return table !== null && typeof table === 'object' && !Array.isArray(table) ? (table as Record<string, unknown>)[key] : undefined;
}

/** `have` says at least what `want` says (tables: every key covered; lists: every item present). */
function covers(have: unknown, want: unknown): boolean {
  if (Array.isArray(want)) {
    if (!Array.isArray(have)) return false;
    const present = new Set(have.map(canonicalJson));
    return want.every((w) => present.has(canonicalJson(w)));
  }
  if (want !== null && typeof want === 'object') {
    if (have === null || typeof have !== 'object' || Array.isArray(have)) return false;
    const h = have as Record<string, unknown>;
    return Object.entries(want as Record<string, unknown>).every(([k, w]) =>
      // An unconditional rule already says more than its `when_present` form.
      k === 'when_present' ? h[k] === undefined || h[k] === w : covers(h[k], w),
    );
  }
  return have !== undefined && String(have).toUpperCase() === String(want).toUpperCase();
}

export type ExistingVerdict = { state: 'new' } | { state: 'asserted' } | { state: 'conflict'; message: string };

/** How an edit relates to what a parsed file (raw TOML data) already says. */
export function againstFile(edit: SuggestionEdit, root: unknown): ExistingVerdict {
  const table = tableAt(root, edit.table);
  if (edit.type === 'entry') {
    const list = Array.isArray(table) ? table : table === undefined ? [] : [table];
    return list.some((e) => covers(e, edit.entries)) ? { state: 'asserted' } : { state: 'new' };
  }
  if (edit.type === 'pair') {
    // A stronger form of the same pair already says it: plain, then "when b happens", then "when both".
    const stronger: Record<string, string[]> = { must_precede_when_present: ['must_precede'], must_precede_when_both_present: ['must_precede', 'must_precede_when_present'] };
    const lists = [...(stronger[edit.key] ?? []), edit.key];
    const asserted = lists.some((k) => covers(keyOf(table, k), [edit.pair]));
    return asserted ? { state: 'asserted' } : { state: 'new' };
  }
  const have = keyOf(table, edit.key);
  if (have === undefined) return { state: 'new' };
  if (canonicalJson(have).toUpperCase() === canonicalJson(edit.value).toUpperCase()) return { state: 'asserted' };
  return { state: 'conflict', message: `the file already has ${edit.table}.${JSON.stringify(edit.key)} = ${canonicalJson(have)}; the runs say ${canonicalJson(edit.value)}` };
}

/** Drops what the file already asserts; marks conflicts. */
export function againstExisting(suggestions: readonly Suggestion[], root: unknown): Suggestion[] {
  const out: Suggestion[] = [];
  for (const s of suggestions) {
    const v = againstFile(s.edit, root);
    if (v.state === 'new') out.push(s);
    else if (v.state === 'conflict') out.push({ ...s, conflict: v.message });
  }
  return out;
}
