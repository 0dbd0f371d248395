// `clnrm suggest` configured by the test file's `[intelligence]`: sources read from the file (globs
// relative to it), the confidence threshold, minimum support and buffer factor applied, flags winning.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatTraceFile } from '../../../shared/otlp';
import { syntheticRuns } from '../../../shared/intelligence/synthetic';
import { runCli } from '../testing';

const HEAD = `[meta]
name = "orders"

[[scenario]]
name = "read"
run = "true"
`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clnrm-suggest-settings-'));
  await mkdir(join(dir, 'tests', 'traces'), { recursive: true });
  for (const [k, run] of syntheticRuns(12, 5).entries()) await writeFile(join(dir, 'tests', 'traces', `run${k}.json`), formatTraceFile(run.spans, 'otlp-json'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Report { runs: number; suggestions: { id: string; kind: string; confidence: number; support: number; snippet: string }[]; belowThreshold: number }
async function suggest(section: string, ...flags: string[]): Promise<Report> {
  await writeFile(join(dir, 'tests', 'orders.clnrm.toml'), `${HEAD}\n${section}`);
  const r = await runCli(['suggest', 'tests/orders.clnrm.toml', '--format', 'json', ...flags], { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

const SOURCES = '[intelligence.trace_analysis]\nsources = [{ type = "file", path = "traces/run*.json" }]\n';
/** Per span name, the upper duration bound suggested. */
const durationMax = (r: Report) =>
  new Map(r.suggestions.flatMap((s) => {
    // The duration bound itself: a merged snippet may add a self_ms bound after it (the stall room can decide that one).
    const m = /name = "([^"]+)"\n(?:.*\n)*?duration_ms = \{[^}]*max = ([\d.]+)/.exec(s.snippet);
    return s.kind === 'duration' && m ? [[m[1]!, Number(m[2])] as const] : [];
  }));

describe('clnrm suggest with [intelligence] settings', () => {
  it('learns from the sources the file names, relative to the file', async () => {
    const r = await suggest(SOURCES);
    expect(r.runs).toBe(12);
    expect(r.suggestions.length).toBeGreaterThan(0);
  });

  it('applies confidence_threshold, min_support and the timing_bounds buffer factor; flags override the file', async () => {
    const plain = await suggest(SOURCES);
    // 12 runs: a structural fact has confidence 1 − 2⁻¹² ≈ 0.99976; 0.9999 keeps only wider evidence.
    const strict = await suggest(`${SOURCES}\n[intelligence.assertions]\nconfidence_threshold = 0.9999\n`);
    expect(strict.suggestions.length).toBeLessThan(plain.suggestions.length);
    expect(strict.suggestions.every((s) => s.confidence >= 0.9999)).toBe(true);
    const overridden = await suggest(`${SOURCES}\n[intelligence.assertions]\nconfidence_threshold = 0.9999\n`, '--min-confidence', '0.99');
    expect(overridden.suggestions.map((s) => s.id)).toEqual(plain.suggestions.map((s) => s.id));
    const support = await suggest(`${SOURCES}\n[intelligence.assertions]\nmin_support = 13\n`);
    expect(support.suggestions).toEqual([]);
    const wide = await suggest(`${SOURCES}\n[[intelligence.assertions.synthesize]]\ntype = "timing_bounds"\nbuffer_factor = 3.0\n`);
    const [a, b] = [durationMax(plain), durationMax(wide)];
    expect(b.size).toBeGreaterThan(0);
    // Factor 3 against 1.5: every upper bound at least √2 wider (the largest value seen × √buffer floor).
    for (const [name, max] of b) expect(max / a.get(name)!).toBeGreaterThan(1.4);
  });

  it('lists only the structures at or above pattern_min_frequency, counting the rarer ones', async () => {
    await writeFile(join(dir, 'tests', 'orders.clnrm.toml'), `${HEAD}\n${SOURCES}\n[intelligence.trace_analysis.config]\npattern_min_frequency = 0.5\n`);
    const r = await runCli(['suggest', 'tests/orders.clnrm.toml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Structures \(root operation \+ span tree\): 2\n {2}\s*\d+% {2}\d+ run\(s\) {2}GET \/item .*\n {2}\(1 rarer than pattern_min_frequency 0.5 not listed\)$/m);
  });

  it('--traces wins over configured sources; a glob that matches nothing and an otlp source are refused', async () => {
    const one = await suggest(SOURCES, '--traces', 'tests/traces/run0.json', 'tests/traces/run1.json');
    expect(one.runs).toBe(2);
    await writeFile(join(dir, 'tests', 'orders.clnrm.toml'), `${HEAD}\n[intelligence.trace_analysis]\nsources = [{ type = "file", path = "nothing/*.json" }]\n`);
    const none = await runCli(['suggest', 'tests/orders.clnrm.toml'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no trace file matches "nothing\/\*\.json" \(relative to tests\).*\[suggest\.source\]/);
    await writeFile(join(dir, 'tests', 'orders.clnrm.toml'), `${HEAD}\n[intelligence.trace_analysis]\nsources = [{ type = "otlp", endpoint = "http://127.0.0.1:4318" }]\n`);
    const otlp = await runCli(['suggest', 'tests/orders.clnrm.toml'], { cwd: dir });
    expect(otlp.code).toBe(2);
    expect(otlp.stderr).toContain('otlp sources are not read yet');
    await writeFile(join(dir, 'tests', 'orders.clnrm.toml'), HEAD);
    const nothing = await runCli(['suggest', 'tests/orders.clnrm.toml'], { cwd: dir });
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain("or sources in tests/orders.clnrm.toml's [intelligence.trace_analysis]");
  });
});
