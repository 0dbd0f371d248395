// The writer round trip: accepted suggestions go in through shared/spec/writer; every byte outside
// the inserted blocks (and the one list a pair is appended to) stays as the user wrote it, the file
// still validates, and the suggestions then count as asserted.
import { describe, expect, it } from 'vitest';
import { diffLines } from 'diff';
import { parse } from 'smol-toml';
import { parseTestFile } from '../spec';
import { applySuggestions } from './apply';
import { suggestAssertions } from './suggest';
import { syntheticRuns } from './synthetic';

const FILE = `# Orders service: hand-written, keep the comments
[meta]
name   =   "orders"   # spacing kept
description = 'single quotes kept'

[[scenario]]
name = "read"
run = "curl -s http://api/item/1"

# what we know so far
[[expect.span]]
name = "GET /item"  # the entry point
kind = "server"

[expect.counts]
spans_total = { gte = 1 }   # at least something

[expect.order]
must_precede = [["auth.check", "cache.get"]]

# trailing comment
`;

const runs = syntheticRuns(60, 11);
const report = suggestAssertions(runs, {}, { raw: parse(FILE), config: {} });

describe('applySuggestions', () => {
  const result = applySuggestions(FILE, report.suggestions, 'orders.clnrm.toml');
  if (!result.ok) throw new Error(JSON.stringify(result.problem));

  it('writes every suggestion and the file still validates', () => {
    expect(result.written).toHaveLength(report.suggestions.length);
    const parsed = parseTestFile(result.text, { file: 'orders.clnrm.toml' });
    expect(parsed.errors).toEqual([]);
    expect(parsed.warnings.filter((w) => w.code === 'toml.unknown-key')).toEqual([]);
    expect(result.diff).toContain('+[[expect.span]]');
  });

  it('keeps every other byte: only the extended must_precede line is replaced', () => {
    const removed = diffLines(FILE, result.text).filter((p) => p.removed).map((p) => p.value);
    expect(removed).toEqual(['must_precede = [["auth.check", "cache.get"]]\n']);
    // What is left of the original, in order, is the original minus that line.
    const kept = diffLines(FILE, result.text).filter((p) => !p.added && !p.removed).map((p) => p.value).join('');
    expect(kept).toBe(FILE.replace('must_precede = [["auth.check", "cache.get"]]\n', ''));
    expect(result.text).toContain('must_precede = [["auth.check", "cache.get"], [');
  });

  it('the written expectations pass on the runs they came from, as a test file', () => {
    const test = parseTestFile(result.text).tests[0]!;
    expect(test.expect?.status?.all).toBe('OK');
    expect(test.orchestration?.distributed_tracing?.assertion?.length).toBeGreaterThan(0);
  });

  it('a second apply finds everything asserted and changes nothing', () => {
    const again = applySuggestions(result.text, report.suggestions);
    expect(again).toMatchObject({ ok: true, written: [], text: result.text, diff: '' });
    expect(suggestAssertions(runs, {}, { raw: parse(result.text), config: {} }).suggestions).toEqual([]);
  });

  it('refuses a suggestion that contradicts the file, writing nothing', () => {
    const count = report.suggestions.find((s) => s.edit.type === 'key' && s.edit.table === 'expect.counts.by_name')!;
    const edited = FILE.replace('spans_total = { gte = 1 }', `by_name = { ${JSON.stringify((count.edit as { key: string }).key)} = { eq = 7 } }`);
    const r = applySuggestions(edited, [count]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem.code).toBe('suggest.conflict');
  });

  it('into an empty document: the --format toml rendering', () => {
    const r = applySuggestions('', report.suggestions);
    if (!r.ok) throw new Error(r.problem.message);
    expect(Object.keys(parse(r.text))).toEqual(['expect', 'orchestration']);
  });
});
