// `clnrm perf changes` in-process over CSV files written to a temporary folder.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticSeries } from '../../../shared/perf/synthetic-series';
import { runCli } from '../testing';

const dir = mkdtempSync(join(tmpdir(), 'clnrm-perf-changes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function csv(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** 120 builds: p95 jumps +25 % at build 70 (data row 69); throughput stays flat; row 10 misses its p95. */
function history(): string {
  const p95 = syntheticSeries({ length: 120, level: 200, noise: 'normal-2%', shifts: [{ index: 69, relative: 0.25 }], seed: 4 });
  const rps = syntheticSeries({ length: 120, level: 1000, noise: 'normal-2%', shifts: [], seed: 5 });
  const lines = ['build,p95_ms,"requests, per s"'];
  for (let i = 0; i < 120; i++) lines.push(`"b${i + 1}",${i === 10 ? '' : p95[i]!.toFixed(2)},${rps[i]!.toFixed(1)}`);
  return lines.join('\n') + '\n';
}

describe('clnrm perf changes', () => {
  it('prints the change points as JSON and exits 1', async () => {
    const r = await runCli(['perf', 'changes', csv('h.csv', history()), '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const changes = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ metric: 'p95_ms', index: 69, time: 'b70' });
    expect(changes[0]!.changePercent as number).toBeGreaterThan(20);
    expect(changes[0]!.before as number).toBeCloseTo(200, -1);
    expect(changes[0]!.pValue as number).toBeLessThan(1e-4);
  });

  it('prints a table for people, and only the chosen metric with --metric', async () => {
    const path = csv('h2.csv', history());
    const all = await runCli(['perf', 'changes', path]);
    expect(all.stdout).toMatch(/1 change point in .*h2\.csv:\n.*metric.*\np95_ms +b70 +69 /);
    const flat = await runCli(['perf', 'changes', path, '--metric', 'requests, per s']);
    expect(flat.code).toBe(0);
    expect(flat.stdout).toMatch(/No change points in .*h2\.csv \(120 rows, 2 metrics\)/);
  });

  it('says where a CSV is wrong, with line and column, and exits 2', async () => {
    const bad = await runCli(['perf', 'changes', csv('bad.csv', 'time,a,b\n1,2,3\n2,x5,4\n')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.csv:3:2: "x5" in column a is not a number .*\[perf\.csv\]/);
    const ragged = await runCli(['perf', 'changes', csv('ragged.csv', 'time,a\n1,2\n2,3,4\n')]);
    expect(ragged.code).toBe(2);
    expect(ragged.stderr).toMatch(/ragged\.csv:3: .*Invalid Record Length.*\[perf\.csv\]/);
    const empty = await runCli(['perf', 'changes', csv('empty.csv', '')]);
    expect(empty.stderr).toMatch(/the file is empty/);
    const noMetric = await runCli(['perf', 'changes', csv('one.csv', 'time\n1\n')]);
    expect(noMetric.stderr).toMatch(/one\.csv:1: the header has no metric column/);
    const dup = await runCli(['perf', 'changes', csv('dup.csv', 'time,a,a\n1,2,3\n')]);
    expect(dup.stderr).toMatch(/dup\.csv:1:3: metric "a" appears twice/);
  });

  it('rejects an unknown metric, a missing file and bad options with exit 2', async () => {
    const path = csv('h3.csv', history());
    const unknown = await runCli(['perf', 'changes', path, '--metric', 'p99']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no metric column "p99"; its metrics: p95_ms, requests, per s/);
    const missing = await runCli(['perf', 'changes', join(dir, 'nope.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.csv: cannot read it \(ENOENT\)/);
    const p = await runCli(['perf', 'changes', path, '--max-pvalue', '2']);
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(/p-value between 0 and 1/);
  });
});
