// Test generation: a file per common path and per error pattern, each valid, with its provenance, and
// passing on the runs it was learned from; rare paths and unsupported patterns skipped with a reason.
import { describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { evaluateExpectations } from '../expect';
import { parseTestFile } from '../spec/parse';
import { generateTests, type GeneratedTest } from './generate';
import type { GenerationKind } from './settings';
import { syntheticRuns } from './synthetic';
import type { MiningRun } from './types';

const ALL: ReadonlySet<GenerationKind> = new Set(['common_path', 'error_pattern', 'performance_baseline']);

/** Correct runs, and runs whose cache.get timed out (one error pattern). */
function runs(): MiningRun[] {
  const ok = syntheticRuns(40, 7);
  const failed = syntheticRuns(8, 8).map((r) => ({
    id: `failed-${r.id}`,
    spans: r.spans.map((s) => (s.name === 'cache.get' ? { ...s, status: { code: 'error' as const, message: 'timeout' } } : s)),
  }));
  return [...ok, ...failed];
}

function passesOnItsRuns(file: GeneratedTest, all: readonly MiningRun[]): boolean {
  const parsed = parseTestFile(file.text, { file: file.fileName });
  const test = parsed.tests[0]!;
  return file.runs.every((id) => evaluateExpectations(all.find((r) => r.id === id)!.spans, { expect: test.expect, distributed: test.orchestration?.distributed_tracing }).every((r) => r.passed));
}

describe('generateTests', () => {
  const all = runs();
  const report = generateTests(all, { kinds: ALL });

  it('writes one valid file per common path and one per error pattern, with provenance, each passing on its runs', () => {
    const kinds = report.files.map((f) => f.kind);
    expect(kinds.filter((k) => k === 'common_path').length).toBeGreaterThanOrEqual(2); // cache hit and miss paths
    expect(kinds.filter((k) => k === 'error_pattern')).toHaveLength(1);
    for (const f of report.files) {
      const parsed = parseTestFile(f.text, { file: f.fileName });
      expect(parsed.errors).toEqual([]);
      expect(parsed.warnings).toEqual([]);
      const meta = (parse(f.text) as { meta: Record<string, unknown> }).meta;
      expect(meta).toMatchObject({ generated_by: 'clnrm generate', source_traces: f.runs, confidence: f.confidence });
      expect(f.confidence).toBeGreaterThanOrEqual(0.99);
      expect(f.fileName).toMatch(/^(path|error)-[0-9a-f]{8}\.clnrm\.toml$/);
      expect(f.text).toContain('duration_ms'); // the performance baseline
      expect(passesOnItsRuns(f, all)).toBe(true);
    }
    // Common paths learn from runs that went right; the error file expects the error.
    const paths = report.files.filter((f) => f.kind === 'common_path');
    expect(paths.flatMap((f) => f.runs).some((id) => id.startsWith('failed-'))).toBe(false);
    const error = report.files.find((f) => f.kind === 'error_pattern')!;
    expect(error.runs).toHaveLength(8);
    expect(error.text).toMatch(/"cache\.get" = "ERROR"/);
  });

  it('a path file fails on the error runs, and the error file on correct runs', () => {
    const [path] = report.files.filter((f) => f.kind === 'common_path');
    const error = report.files.find((f) => f.kind === 'error_pattern')!;
    const failed = all.filter((r) => r.id.startsWith('failed-')).map((r) => r.id);
    expect(passesOnItsRuns({ ...path!, runs: failed }, all)).toBe(false);
    expect(passesOnItsRuns({ ...error, runs: path!.runs }, all)).toBe(false);
  });

  it('is deterministic, and follows the rules: frequency, error samples, no baseline', () => {
    expect(generateTests(all, { kinds: ALL })).toEqual(report);
    const rare = generateTests(all, { kinds: ALL, minFrequency: 0.9 });
    expect(rare.files.filter((f) => f.kind === 'common_path')).toEqual([]);
    expect(rare.skipped[0]!.reason).toMatch(/% of the runs, under the minimum frequency 0.9/);
    const samples = generateTests(all, { kinds: ALL, minErrorSamples: 9 });
    expect(samples.files.some((f) => f.kind === 'error_pattern')).toBe(false);
    expect(samples.skipped.map((s) => s.reason)).toContain('8 run(s), under min_error_samples 9');
    const noBaseline = generateTests(all, { kinds: new Set(['common_path']) });
    expect(noBaseline.files.length).toBeGreaterThan(0);
    expect(noBaseline.files.every((f) => f.kind === 'common_path' && !f.text.includes('duration_ms'))).toBe(true);
  });

  it('skips a pattern whose runs support nothing at the threshold, saying why', () => {
    const few = generateTests(all.slice(0, 3), { kinds: ALL });
    expect(few.files).toEqual([]);
    expect(few.skipped.some((s) => /nothing holds at confidence ≥ 0.99 in \d run\(s\)/.test(s.reason))).toBe(true);
    // 6 runs of the cache-miss path: a few bounds hold at 0.99, but not its root span (1 − 2⁻⁶ < 0.99).
    const small = generateTests(syntheticRuns(30, 3), { kinds: ALL });
    expect(small.skipped).toEqual([{ what: expect.stringMatching(/^path [0-9a-f]{8} \(GET \/item\)$/), reason: 'its root span GET /item is not asserted at confidence ≥ 0.99 from 6 run(s)' }]);
  });
});
