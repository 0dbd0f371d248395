// `clnrm perf history` over a real data folder holding eight runs with a step change in db.query.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PerfHistory } from '../../../shared/perf/series';
import { writeStepHistory, runIdAt, STEP_AT } from '../../perf/test-history';
import { openStore } from '../../store';
import { runCli } from '../testing';

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clnrm-perf-history-'));
  const store = await openStore({ dataDir: join(dir, 'db') });
  await writeStepHistory(store, join(dir, 'slow.clnrm.toml'), join(dir, 'other.clnrm.toml'));
  await store.dispose();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('clnrm perf history', () => {
  it('gives the series of a span over the runs with the step change found (JSON)', async () => {
    const r = await runCli(['perf', 'history', 'slow.clnrm.toml', '--span', 'db.query', '--metric', 'p50', '--data-dir', 'db', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const h = JSON.parse(r.stdout) as PerfHistory;
    expect(h).toMatchObject({ testFile: join(dir, 'slow.clnrm.toml'), runs: 8, spanNames: ['GET /items/:id', 'db.query'] });
    const [s] = h.series;
    expect(s!.points.map((p) => p.runId)).toEqual(Array.from({ length: 8 }, (_, i) => runIdAt(i)));
    // Only this test's spans: the other execution's 900 ms db.query in the same runner trace is not counted.
    expect(s!.points.every((p) => p.count === 3 && p.p99 < 26_000)).toBe(true);
    expect(s!.points[0]!.commit).toMatch(/^c0ffee0/);
    expect(s!.changePoints).toHaveLength(1);
    expect(s!.changePoints[0]).toMatchObject({ index: STEP_AT, runBefore: runIdAt(STEP_AT - 1), runAfter: runIdAt(STEP_AT) });
    expect(s!.changePoints[0]!.changePercent).toBeGreaterThan(140);
  });

  it('prints a table per span with the change marked, by test name too', async () => {
    const r = await runCli(['perf', 'history', 'slow_db', '--data-dir', 'db'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^History of slow_db: 8 stored runs\n/);
    expect(r.stdout).toMatch(/\ndb\.query — 8 runs, change points of p95:\n +run +started \(UTC\) +commit +spans +p50 +p95 +p99 +mean\n/);
    expect(r.stdout).toMatch(new RegExp(`\\n▲ +${runIdAt(STEP_AT)} +2023-11-14 22:1\\d:20 +c0ffee4 +3 +25\\.\\d+ ms`));
    expect(r.stdout).toMatch(new RegExp(`▲ p95 changed at run ${runIdAt(STEP_AT)} \\(after ${runIdAt(STEP_AT - 1)}\\): 10\\.\\d+ ms → 25\\.\\d+ ms \\(\\+1\\d\\d\\.\\d %\\), p = `));
  });

  it('says when there is nothing to show (exit 1) and rejects a bad metric (exit 2)', async () => {
    const none = await runCli(['perf', 'history', 'nope.clnrm.toml', '--data-dir', 'db'], { cwd: dir });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/nope\.clnrm\.toml has no stored runs/);
    const noSpan = await runCli(['perf', 'history', 'slow_db', '--span', 'db.qeury', '--data-dir', 'db'], { cwd: dir });
    expect(noSpan.code).toBe(1);
    expect(noSpan.stderr).toMatch(/no span named "db\.qeury" in its 8 stored runs \(names: GET \/items\/:id, db\.query\)/);
    const bad = await runCli(['perf', 'history', 'slow_db', '--metric', 'p90', '--data-dir', 'db'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/p50, p95, p99, mean/);
  });

  it('carries the newest stored baseline of the test as the band (µs) once one is saved', async () => {
    const saved = await runCli(['perf', 'baseline', 'save', 'slow_db', '--run', runIdAt(0), '--name', 'fast', '--data-dir', 'db'], { cwd: dir });
    expect(saved.code, saved.stderr).toBe(0);
    const r = await runCli(['perf', 'history', 'slow.clnrm.toml', '--span', 'db.query', '--data-dir', 'db', '--format', 'json'], { cwd: dir });
    const band = (JSON.parse(r.stdout) as PerfHistory).series[0]!.baseline!;
    // Run 0 is a fast one: its db.query p50 is the series' first point.
    expect(band.p50).toBeCloseTo((JSON.parse(r.stdout) as PerfHistory).series[0]!.points[0]!.p50, 0);
    expect(band.p95).toBeGreaterThanOrEqual(band.p50);
  });
});
