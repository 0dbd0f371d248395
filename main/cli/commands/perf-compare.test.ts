// `clnrm perf compare` over a real data folder holding two runs of the same system, the second with
// a slower db.query.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunComparison } from '../../../shared/perf/compare';
import { openStore } from '../../store';
import { makeSpan, resourceFor } from '../../store/test-spans';
import { runCli } from '../testing';

const T0 = 1_700_000_000_000;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clnrm-perf-compare-'));
  const store = await openStore({ dataDir: join(dir, 'db') });
  const environment = { host: 'h', platform: 'linux', engine: 'unix:///var/run/docker.sock', clnrmVersion: '0.1.0', ci: false };
  let span = 1;
  for (const [k, run] of ['a1a1a1a1a1a1', 'b2b2b2b2b2b2'].entries()) {
    await store.recordRun({ id: run, origin: 'cli', startedAt: T0 + k, endedAt: T0 + k + 1, environment, files: [], passed: 1, failed: 0, errors: 0, skipped: 0, verdict: 'passed' });
    const api = resourceFor('api', { 'clnrm.run_id': run });
    for (let t = 0; t < 12; t++) {
      const trace = 100 * (k + 1) + t;
      const root = span++;
      store.ingest([
        makeSpan({ trace, span: root, name: 'GET /', resource: api, startMs: T0, durationMs: 50 }),
        makeSpan({ trace, span: span++, parent: root, name: 'db.query', resource: api, startMs: T0 + 1, durationMs: (k === 0 ? 10 : 14) + t * 0.1 }),
      ]);
    }
  }
  await store.dispose();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('clnrm perf compare', () => {
  it('shows the slower operation first with its change and p-value', async () => {
    const json = await runCli(['perf', 'compare', 'a1a1a1a1a1a1', 'b2b2b2b2b2b2', '--data-dir', 'db', '--format', 'json'], { cwd: dir });
    expect(json.code, json.stderr).toBe(0);
    const r = JSON.parse(json.stdout) as RunComparison;
    expect(r.operations.map((o) => o.name)).toEqual(['db.query', 'GET /']);
    expect(r.operations[0]!.medianChangePercent).toBeCloseTo(37.91, 1);
    expect(r.operations[0]!.pValue).toBeLessThan(1e-5);
    const human = await runCli(['perf', 'compare', 'a1a1a1a1a1a1', 'b2b2b2b2b2b2', '--data-dir', 'db'], { cwd: dir });
    expect(human.stdout).toMatch(/^operation +median a1a1a1a1a1a1 → b2b2b2b2b2b2 +change/);
    expect(human.stdout).toMatch(/\ndb\.query \(api\) +10\.\d+ ms → 14\.\d+ ms +\+37\.9 % +.* 12\/12 +\d\.\de-\d+\n/);
  });

  it('says which run is missing (exit 1) and rejects a malformed id (exit 2)', async () => {
    const missing = await runCli(['perf', 'compare', 'a1a1a1a1a1a1', 'ffffffffffff', '--data-dir', 'db'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no stored run ffffffffffff/);
    const bad = await runCli(['perf', 'compare', 'A B', 'x', '--data-dir', 'db'], { cwd: dir });
    expect(bad.code).toBe(2);
  });
});
