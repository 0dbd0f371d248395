// "Edit, then accept": an edited snippet becomes an edit of the same shape, and anything that would be
// dropped or written elsewhere is refused with what to keep.
import { describe, expect, it } from 'vitest';
import { snippetOf } from './compose';
import { editedSuggestion } from './edited';
import type { Suggestion, SuggestionEdit } from './types';

function suggestion(edit: SuggestionEdit): Suggestion {
  return { id: 'x-00000000', kind: 'count', subject: 's', summary: 's', support: 3, confidence: 0.9, evidence: [], conditional: false, edit, snippet: snippetOf(edit) };
}

describe('editedSuggestion', () => {
  it('reads an edited entry, key and pair back into the same kind of edit', () => {
    const entry = suggestion({ type: 'entry', table: 'expect.span', entries: { name: 'db.query', kind: 'client' } });
    const e = editedSuggestion(entry, entry.snippet.replace('"client"', '"internal"'));
    expect(e.ok && e.suggestion.edit).toEqual({ type: 'entry', table: 'expect.span', entries: { name: 'db.query', kind: 'internal' } });
    expect(e.ok && e.suggestion.snippet).toContain('kind = "internal"');

    const key = suggestion({ type: 'key', table: 'expect.counts.by_name', key: 'cache.get', value: { eq: 2 } });
    const k = editedSuggestion(key, key.snippet.replace('eq = 2', 'gte = 1'));
    expect(k.ok && k.suggestion.edit).toEqual({ type: 'key', table: 'expect.counts.by_name', key: 'cache.get', value: { gte: 1 } });

    const pair = suggestion({ type: 'pair', table: 'expect.order', key: 'must_precede', pair: ['a', 'b'] });
    const p = editedSuggestion(pair, pair.snippet.replace('"b"', '"c"'));
    expect(p.ok && p.suggestion.edit).toEqual({ type: 'pair', table: 'expect.order', key: 'must_precede', pair: ['a', 'c'] });
  });

  it('refuses broken TOML, another table, a second entry, extra tables and a changed list key', () => {
    const entry = suggestion({ type: 'entry', table: 'expect.span', entries: { name: 'db.query' } });
    const code = (s: Suggestion, text: string) => {
      const r = editedSuggestion(s, text);
      return r.ok ? 'ok' : `${r.problem.code}: ${r.problem.message}`;
    };
    expect(code(entry, '[[expect.span]\nname =')).toMatch(/^suggest\.edit-invalid: x-00000000: the edited snippet is not valid TOML/);
    expect(code(entry, '[meta]\nname = "x"')).toMatch(/keep exactly one \[\[expect\.span\]\] entry/);
    expect(code(entry, `${entry.snippet}\n${entry.snippet}`)).toMatch(/keep exactly one/);
    expect(code(entry, `${entry.snippet}\n[expect.counts]\nspans_total = { eq = 1 }`)).toMatch(/says more than one/);
    const pair = suggestion({ type: 'pair', table: 'expect.order', key: 'must_precede', pair: ['a', 'b'] });
    expect(code(pair, '[expect.order]\nmust_follow = [["a", "b"]]')).toMatch(/keep must_precede = \[\["A", "B"\]\]/);
    expect(code(pair, '[expect.order]\nmust_precede = [["a", 1]]')).toMatch(/one pair of span names/);
  });
});
