// Fault windows kept in executions' evidence, in a real DuckDB file: they survive closing and reopening the
// store (in this thread and through the writer thread), a range finds exactly the windows overlapping it, a
// window never undone lasts until its execution ended, and one execution's map sees only its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultWindowRecord } from '../../shared/chaos/fault-windows';
import { millisToUnixNano } from '../../shared/model/time';
import type { ExecutionRecord } from '../../shared/run/records';
import { openStore, type TraceStore } from './index';
import { writerThreadEntry } from './writer-thread';

const dirs: string[] = [];
const stores: TraceStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.dispose();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const T0 = Date.UTC(2026, 11, 7, 18, 0, 0);
const ns = (ms: number): string => millisToUnixNano(T0 + ms);
const environment = { host: 'h', platform: 'linux 6', engine: 'unix:///var/run/docker.sock', clnrmVersion: '0.1.0', ci: false };
const pause: FaultWindowRecord = { fault: 'container_pause', service: 'db', serviceName: 'db', params: '', path: 'scenario[0].chaos_injection', source: 'scenario', startUnixNano: ns(1000), endUnixNano: ns(3000) };
const kill: FaultWindowRecord = { fault: 'container_kill', service: 'cache', serviceName: 'demo-cache', params: 'signal=SIGKILL', path: 'chaos.experiment.injection[0]', source: 'experiment', startUnixNano: ns(60_500), irreversible: true };

function execution(id: string, startedAt: number, endedAt: number, faultWindows?: FaultWindowRecord[]): ExecutionRecord {
  const evidence = { steps: [], containers: [], expectations: [], problems: [], traceHash: '', spanCount: 0, ...(faultWindows ? { faultWindows } : {}) };
  return { id, runId: 'run000000001', testFile: '/t/a.clnrm.toml', testFileHash: 'ab'.repeat(32), testName: 'a', scenario: 'main', iteration: 1, startedAt, endedAt, failedExpectations: 0, failedSteps: 0, evidence };
}

describe.each([
  ['in this thread', {}],
  ['through the writer thread', { writerThread: writerThreadEntry() }],
])('fault windows %s', (_, options) => {
  async function open(dataDir: string): Promise<TraceStore> {
    const store = await openStore({ dataDir, ...options });
    stores.push(store);
    return store;
  }

  it('round-trip through a reopened database and are found by overlapping ranges only', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'clnrm-faults-'));
    dirs.push(dataDir);
    const first = await open(dataDir);
    await first.recordRun({ id: 'run000000001', origin: 'cli', startedAt: T0, environment, files: ['/t/a.clnrm.toml'], passed: 0, failed: 0, errors: 0, skipped: 0 });
    await first.recordExecution(execution('exec00000001', T0, T0 + 5000, [pause]));
    await first.recordExecution(execution('exec00000002', T0 + 60_000, T0 + 70_000, [kill]));
    await first.recordExecution(execution('exec00000003', T0 + 1000, T0 + 2000));
    await first.dispose();

    const store = await open(dataDir);
    const all = await store.faultWindows({ fromUnixNano: ns(0), toUnixNano: ns(100_000), limit: 10 });
    expect(all.truncated).toBe(false);
    expect(all.windows).toEqual([
      { ...pause, executionId: 'exec00000001', executionEndUnixNano: ns(5000) },
      { ...kill, executionId: 'exec00000002', executionEndUnixNano: ns(70_000) },
    ]);
    const ids = async (fromMs: number, toMs: number, executionIds?: string[]) =>
      (await store.faultWindows({ fromUnixNano: ns(fromMs), toUnixNano: ns(toMs), limit: 10, ...(executionIds ? { executionIds } : {}) })).windows.map((w) => w.fault);
    // A pause from 1 s to 3 s: a range ending at its start or beginning at its end touches it.
    expect(await ids(3000, 4000)).toEqual(['container_pause']);
    expect(await ids(0, 1000)).toEqual(['container_pause']);
    expect(await ids(3000.001, 50_000)).toEqual([]);
    // A kill is never undone: active until its execution ended at 70 s, not after.
    expect(await ids(65_000, 66_000)).toEqual(['container_kill']);
    expect(await ids(70_001, 90_000)).toEqual([]);
    expect(await ids(0, 100_000, ['exec00000002'])).toEqual(['container_kill']);
    expect(await store.faultWindows({ fromUnixNano: ns(0), toUnixNano: ns(100_000), limit: 1 })).toMatchObject({ truncated: true, windows: [{ fault: 'container_pause' }] });
  });

  it('refuses evidence whose windows do not fit the record', async () => {
    const store = await openStore({ inMemory: true, ...options });
    stores.push(store);
    const bad = execution('exec00000009', T0, T0 + 1000, [{ ...pause, startUnixNano: 'soon' }]);
    await expect(store.recordExecution(bad)).rejects.toMatchObject({ problem: { code: 'store.invalid' } });
  });
});
