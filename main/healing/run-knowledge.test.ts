import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { quarantineSettings, type Classification } from '../../shared/healing';
import type { ScenarioExecution, TestResult } from '../runner/types';
import { KnowledgeStore } from './knowledge-store';
import { settleRun, testKey, type SettleContext } from './run-knowledge';

const flaky: Classification = { class: 'flaky_test', confidence: 0.9, evidence: [{ kind: 'history', detail: 'flipped' }] };
let root: string;
let warnings: string[];
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'clnrm-settle-'));
  warnings = [];
});
afterEach(() => rm(root, { recursive: true, force: true }));

function result(verdict: TestResult['verdict'], classification?: Classification): TestResult {
  const execution = { scenario: 'toss', verdict, ...(classification ? { classification } : {}) } as unknown as ScenarioExecution;
  return { file: 'coin.clnrm.toml', name: 'coin', verdict, startedAt: '', durationMs: 1, executions: [execution], problems: [] };
}

function context(mode: 'autonomous' | 'supervised'): SettleContext {
  const settings = new Map([[testKey(join(root, 'coin.clnrm.toml'), 'coin'), { ...quarantineSettings(undefined), mode }]]);
  // Two failed executions in the window: the history the flaky class came from.
  const store = { listRuns: async () => [{ executions: [{ testName: 'coin', startedAt: 1, verdict: 'failed' }, { testName: 'coin', startedAt: 2, verdict: 'failed' }] }] } as unknown as SettleContext['store'];
  return { knowledge: new KnowledgeStore(join(root, '.clnrm')), store, cwd: root, settings, warn: (m) => warnings.push(m), now: new Date('2026-01-01T00:00:00Z') };
}

describe('settleRun: quarantine and learning at the end of a run', () => {
  it('quarantines a flaky failure (autonomous), keeps it quarantined while it runs, releases it after 3 passes', async () => {
    const ctx = context('autonomous');
    const [first] = await settleRun(ctx, [result('failed', flaky)]);
    expect(first!.quarantine).toMatchObject({ state: 'quarantined', consecutivePasses: 0 });
    expect((await ctx.knowledge.read('quarantine')).tests).toMatchObject([{ file: 'coin.clnrm.toml', test: 'coin', consecutivePasses: 0 }]);
    expect((await settleRun(ctx, [result('passed')]))[0]!.quarantine).toMatchObject({ state: 'quarantined', consecutivePasses: 1 });
    await settleRun(ctx, [result('passed')]);
    expect((await settleRun(ctx, [result('passed')]))[0]!.quarantine?.state).toBe('released');
    expect((await ctx.knowledge.read('quarantine')).tests).toEqual([]);
    const flakiness = await ctx.knowledge.read('flakiness');
    expect(flakiness.tests).toMatchObject([{ file: 'coin.clnrm.toml', test: 'coin', scenario: 'toss', outcomes: 'FPPP', score: 1 / 3 }]);
    expect((await ctx.knowledge.read('patterns')).patterns).toMatchObject([{ class: 'flaky_test', count: 1, lastEvidence: 'history: flipped' }]);
  });

  it('supervised proposes and writes no quarantine entry', async () => {
    const ctx = context('supervised');
    expect((await settleRun(ctx, [result('failed', flaky)]))[0]!.quarantine?.state).toBe('proposed');
    expect((await ctx.knowledge.read('quarantine')).tests).toEqual([]);
  });

  it('learns the adaptive first delay per class from the run’s retries', async () => {
    const ctx = context('supervised');
    const net: Classification = { class: 'transient_network_error', confidence: 0.85, evidence: [] };
    const healed = { ...result('passed'), executions: [{ scenario: 'toss', verdict: 'passed', healing: { healed: true, attempts: [{ executionId: 'a', verdict: 'failed', classification: net, delayMs: 1000 }] } } as unknown as ScenarioExecution] };
    await settleRun(ctx, [healed]);
    expect((await ctx.knowledge.read('retryDelays')).classes).toEqual([{ class: 'transient_network_error', delayMs: 975, healed: 1, notHealed: 0 }]);
  });

  it('a broken knowledge file is a warning; the run is settled without it', async () => {
    const ctx = context('autonomous');
    await ctx.knowledge.write('quarantine', { version: 1, tests: [] });
    await writeFile(ctx.knowledge.path('quarantine'), 'not json');
    const [settled] = await settleRun(ctx, [result('failed', flaky)]);
    expect(settled!.quarantine).toBeUndefined();
    expect(warnings[0]).toMatch(/quarantine\.json is not JSON.*not updated by this run/);
  });
});
