// Human progress: a line per event for logs; on a terminal a status line rewritten in place.
import { describe, expect, it } from 'vitest';
import { createProgress, summaryLines } from './progress';
import type { RunSummary, TestResult } from './types';

const result: TestResult = { file: 'a.clnrm.toml', name: 'orders', verdict: 'passed', startedAt: '2026-01-01T00:00:00Z', durationMs: 1500, executions: [], problems: [] };
const at = { at: 1, runId: 'r1' };
const testStarted = { type: 'test-started', ...at, test: 'orders', file: 'a.clnrm.toml' } as const;
const testFinished = { type: 'test-finished', ...at, test: 'orders', file: 'a.clnrm.toml', verdict: 'passed', durationMs: 1500 } as const;

describe('createProgress', () => {
  it('writes one plain line per event when not on a terminal', () => {
    const lines: string[] = [];
    const progress = createProgress((l) => lines.push(l), false);
    progress.onEvent(testStarted);
    progress.onEvent({ type: 'step-finished', ...at, test: 'orders', executionId: 'e1', index: 0, result: { name: 'buy', target: 'api', command: ['buy'], verdict: 'failed', exitCode: 3, expectedExitCode: 0, timedOut: false, durationMs: 250, message: 'exited 3, expected 0', stdoutTail: '', stderrTail: '' } });
    progress.onEvent(testFinished);
    progress.finish();
    expect(lines).toEqual(['▶ orders  (a.clnrm.toml)', '  orders: ✗ step buy [api] 0.3s — exited 3, expected 0', '✓ orders passed in 1.5s']);
  });

  it('names the engine a test ran on when the run has a pool of several', () => {
    const lines: string[] = [];
    createProgress((l) => lines.push(l), false).onEvent({ ...testFinished, engine: 'tcp://10.0.0.5:2375' });
    expect(lines).toEqual(['✓ orders passed in 1.5s on tcp://10.0.0.5:2375']);
  });

  it('on a terminal keeps a "running" status line at the bottom and replaces it with the next event', () => {
    const lines: string[] = [];
    const progress = createProgress((l) => lines.push(l), true);
    progress.onEvent(testStarted);
    progress.onEvent({ type: 'execution-started', ...at, test: 'orders', scenario: 'buy', iteration: 2, iterations: 3, executionId: 'e2' });
    progress.onEvent(testFinished);
    progress.finish();
    expect(lines).toEqual([
      '▶ orders  (a.clnrm.toml)',
      '… running: orders (starting)',
      '\x1b[1A\x1b[2K  orders: scenario buy iteration 2/3 (execution e2)',
      '… running: orders (buy 2/3)',
      '\x1b[1A\x1b[2K✓ orders passed in 1.5s',
    ]);
  });
});

describe('an experiment’s phases decided while it runs', () => {
  const inExecution = { ...at, test: 'chaos_db', executionId: 'e1' };
  const verdict = (path: string, passed: boolean, message: string) => ({ path, type: 'success_rate', passed, message, measured: { requests: 60 }, evidence: [] });
  const decided = (phase: 'steady_state' | 'during_chaos', verdicts: ReturnType<typeof verdict>[], decidedAtMs: number) =>
    ({ type: 'phase-verdict', ...inExecution, experiment: 'db_paused', phase, startMs: 0, endMs: 3000, decidedAtMs, verdicts }) as const;

  it('prints one line per decided phase, with what failed', () => {
    const lines: string[] = [];
    const progress = createProgress((l) => lines.push(l), false);
    progress.onEvent(decided('steady_state', [verdict('a[0]', true, '60 requests'), verdict('a[1]', true, 'p95 3 ms')], 4260));
    progress.onEvent(decided('during_chaos', [verdict('b[0]', true, 'ok'), verdict('b[1]', false, 'longest time without a successful request: 900 ms (limit 500 ms)')], 7300));
    expect(lines).toEqual([
      '  chaos_db: chaos: steady_state passed (2/2) at 4.3s',
      '  chaos_db: chaos: during_chaos failed (1/2) at 7.3s — b[1]: longest time without a successful request: 900 ms (limit 500 ms)',
    ]);
  });

  it('says when the end’s verdict differs from the one decided while running', () => {
    const lines: string[] = [];
    const progress = createProgress((l) => lines.push(l), false);
    progress.onEvent(decided('steady_state', [verdict('a[0]', true, '60 requests'), verdict('a[1]', true, 'p95 3 ms')], 4260));
    const end = (expectation: string, passed: boolean) => ({ type: 'verdict', ...inExecution, expectation, kind: 'chaos', passed, message: 'steady_state: …' }) as const;
    progress.onEvent(end('a[0]', true));
    progress.onEvent(end('a[1]', false));
    progress.onEvent({ ...end('a[1]', false), executionId: 'e2' });
    expect(lines.slice(1)).toEqual(['  chaos_db: chaos: a[1] failed at the end, not passed as decided at 4.3s (spans that arrived later changed it)']);
  });
});

describe('summaryLines', () => {
  it('counts verdicts and lists each failure with its reasons', () => {
    const failed: TestResult = { ...result, name: 'broken', verdict: 'error', problems: [{ code: 'docker.image-missing', message: 'image "x" is missing' }] };
    const summary: RunSummary = { runId: 'r', startedAt: '', durationMs: 2000, passed: 1, failed: 0, errors: 1, skipped: 0, tests: [result, failed] };
    expect(summaryLines(summary)).toEqual([
      '',
      'Failures:',
      '! broken (a.clnrm.toml) — error',
      '    error: image "x" is missing [docker.image-missing]',
      '',
      '2 test(s): 1 passed, 0 failed, 1 errors, 0 skipped in 2.0s',
    ]);
  });

  it('gives every determinism verdict, passed ones too: iterations, hashes, where they differed', () => {
    const same = { iterations: 3, hashes: ['aaaaaaaaaaaaaaaa', 'aaaaaaaaaaaaaaaa', 'aaaaaaaaaaaaaaaa'], passed: true, differences: [] };
    const differs = {
      iterations: 2,
      hashes: ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb'],
      passed: false,
      differingIteration: 2,
      differences: [{ kind: 'attribute', path: 'POST /orders > attr order.id', message: '"1" vs "2"' }],
    } as unknown as NonNullable<TestResult['determinism']>[number];
    const steady: TestResult = { ...result, name: 'steady', determinism: [same] };
    const flaky: TestResult = { ...result, name: 'flaky', verdict: 'failed', determinism: [differs] };
    const lines = summaryLines({ runId: 'r', startedAt: '', durationMs: 1000, passed: 1, failed: 1, errors: 0, skipped: 0, tests: [steady, flaky] });
    expect(lines).toContain('    determinism: iteration 2 differs from iteration 1 (normalized trace hash bbbbbbbbbbbbbbbb vs aaaaaaaaaaaaaaaa):');
    expect(lines).toContain('      POST /orders > attr order.id: "1" vs "2"');
    expect(lines.slice(lines.indexOf('Determinism:'))).toEqual([
      'Determinism:',
      '✓ steady: 3 iterations, identical normalized traces (hash aaaaaaaaaaaa)',
      '✗ flaky: 2 iterations; iteration 2 differs from iteration 1 (hash bbbbbbbbbbbb vs aaaaaaaaaaaa), 1 difference',
      '',
      '2 test(s): 1 passed, 1 failed, 0 errors, 0 skipped in 1.0s',
    ]);
  });
});
