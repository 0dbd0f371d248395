// Thresholds, minimum support, redundancy, what the file already says, conflicts, determinism.
import { describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { suggestAssertions } from './suggest';
import { structural } from './confidence';
import { runsOf } from './test-runs';
import { syntheticRuns } from './synthetic';
import type { SpanSpec } from '../expect/testing';

const make = (): SpanSpec[] => [
  { id: 'r', name: 'root', kind: 'server', startMs: 0, endMs: 20, status: 'ok' },
  { id: 'a', name: 'a', parent: 'r', startMs: 1, endMs: 5, status: 'ok', attrs: { k: 'v' } },
  { id: 'b', name: 'b', parent: 'r', startMs: 6, endMs: 9, status: 'ok' },
];

describe('thresholds', () => {
  it('drops what is below the confidence threshold (Daikon-like, configurable)', () => {
    const five = runsOf(5, make);
    expect(structural(5)).toBeLessThan(0.99);
    expect(suggestAssertions(five).suggestions).toEqual([]);
    const lower = suggestAssertions(five, { minConfidence: 0.95 });
    expect(lower.suggestions.length).toBeGreaterThan(0);
    expect(lower.suggestions.every((s) => s.confidence >= 0.95)).toBe(true);
  });
  it('drops what fewer runs than the minimum support show', () => {
    const report = suggestAssertions(runsOf(8, make), { minConfidence: 0, minSupport: 9 });
    expect(report.suggestions).toEqual([]);
    expect(report.belowThreshold).toBeGreaterThan(0);
  });
});

describe('redundancy', () => {
  const report = suggestAssertions(runsOf(10, make));
  it('"every span OK" replaces per-name statuses and errors_total = 0; exact per-name counts replace spans_total', () => {
    const edits = report.suggestions.map((s) => s.edit);
    expect(edits).toContainEqual({ type: 'key', table: 'expect.status', key: 'all', value: 'OK' });
    expect(edits.filter((e) => e.type === 'key' && e.table === 'expect.status.by_name')).toEqual([]);
    expect(edits.filter((e) => e.type === 'key' && (e.key === 'errors_total' || e.key === 'spans_total'))).toEqual([]);
    expect(edits.filter((e) => e.type === 'key' && e.table === 'expect.counts.by_name')).toHaveLength(3);
  });
});

describe('against the file', () => {
  const runs = runsOf(10, make);
  const raw = parse(`
[[expect.span]]
name = "a"
kind = "internal"
parent = "root"
when_present = false

[expect.counts]
by_name = { "b" = { eq = 2 } }

[expect.order]
must_precede = [["a", "b"]]
`);
  const config = { expect: raw.expect as never };
  const report = suggestAssertions(runs, {}, { raw, config });
  it('leaves out what the file already asserts', () => {
    expect(report.suggestions.some((s) => s.kind === 'span' && s.subject === 'a')).toBe(false);
    expect(report.suggestions.some((s) => s.kind === 'order' && s.subject === 'a < b')).toBe(false);
    expect(report.suggestions.some((s) => s.kind === 'span' && s.subject === 'b')).toBe(true);
  });
  it('flags a suggestion that contradicts the file, and the file expectations the runs contradict', () => {
    const conflict = report.suggestions.find((s) => s.kind === 'count' && s.subject === 'b');
    expect(conflict!.conflict).toContain('expect.counts.by_name."b" = {"eq":2}');
    expect(report.conflicts).toEqual([{ expectation: 'expect.counts.by_name."b"', failedRuns: runs.map((r) => r.id), message: expect.stringContaining('count of "b"') }]);
  });
});

describe('determinism', () => {
  it('the same runs give the same report, byte for byte; another run order gives the same suggestions', () => {
    const runs = syntheticRuns(40, 7);
    const a = suggestAssertions(runs);
    expect(JSON.stringify(suggestAssertions(runs))).toBe(JSON.stringify(a));
    const reversed = suggestAssertions([...runs].reverse());
    expect(reversed.suggestions.map((s) => [s.id, s.snippet, s.support, s.confidence])).toEqual(a.suggestions.map((s) => [s.id, s.snippet, s.support, s.confidence]));
    expect(new Set(a.suggestions.map((s) => s.id)).size).toBe(a.suggestions.length);
  });
});

describe('--service and --group', () => {
  const runs = syntheticRuns(40, 9);
  it('--service mines the spans of one service only', () => {
    const report = suggestAssertions(runs, { service: 'frontend' });
    const names = new Set(report.suggestions.flatMap((s) => (s.edit.type === 'entry' && typeof s.edit.entries.name === 'string' ? [s.edit.entries.name] : [])));
    expect([...names].sort()).toEqual(['GET /item', 'audit.log']);
  });
  it('--group mines the runs of one structure group, so the optional path becomes unconditional', () => {
    const all = suggestAssertions(runs);
    const miss = all.groups.find((g) => g.spanCount === 10)!;
    const report = suggestAssertions(runs, { group: miss.id.slice(0, 8) });
    expect(report.runs).toBe(miss.runs.length);
    expect(report.suggestions.find((s) => s.kind === 'span' && s.subject === 'db.query')).toMatchObject({ conditional: false });
    expect(all.suggestions.find((s) => s.kind === 'span' && s.subject === 'db.query')).toMatchObject({ conditional: true });
  });
});
