import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type TraceStore } from '../store';
import { hexId, makeSpan, resourceFor } from '../store/test-spans';
import type { RunSummary, ScenarioExecution } from '../runner';
import { runOutcome, type EvidenceStore } from './runner-adapter';

const tagged = (executionId: string) => resourceFor('svc', { 'clnrm.run_id': 'r', 'clnrm.execution_id': executionId, 'clnrm.scenario': 'main' });

function execution(runId: string, expectations: ScenarioExecution['expectations'], spanNames: Record<string, string> = {}): ScenarioExecution {
  return { runId, scenario: 'main', iteration: 1, verdict: 'failed', startedAt: '', durationMs: 1, steps: [], expectations, problems: [], containers: [], spanCount: 3, traceHash: '', spanNames };
}

function summary(executions: ScenarioExecution[]): RunSummary {
  return { runId: 'r', startedAt: '', durationMs: 1, passed: 0, failed: 1, errors: 0, skipped: 0, tests: [{ file: 'f', name: 't', verdict: 'failed', startedAt: '', durationMs: 1, executions, problems: [] }] };
}

let store: TraceStore | undefined;
afterEach(async () => {
  await store?.dispose();
  store = undefined;
});

describe('runOutcome', () => {
  it('maps each expectation span id to its trace through the store, and lists the run traces', async () => {
    store = await openStore({ inMemory: true });
    const resource = tagged('exec-1');
    store.ingest([
      makeSpan({ trace: 1, span: 1, name: 'job.submit', resource }),
      makeSpan({ trace: 1, span: 2, parent: 1, name: 'job.process', resource }),
      makeSpan({ trace: 2, span: 3, name: 'health', resource }),
      // Another execution's span with an id the expectation does not name.
      makeSpan({ trace: 3, span: 4, name: 'other', resource: tagged('exec-2') }),
    ]);
    const result = await runOutcome(
      summary([
        execution('exec-1', [
          { expectation: 'expect.status.by_name."job.process"', kind: 'status', passed: false, message: 'was error', spans: [hexId(2, 16), hexId(99, 16)] },
          { expectation: 'expect.span[0]', kind: 'span', passed: true, message: 'found', spans: [hexId(3, 16)] },
        ]),
      ]),
      store,
    );
    expect(result.traceIds.sort()).toEqual([hexId(1, 32), hexId(2, 32)]);
    expect(result.verdicts.map((v) => [v.name, v.passed, v.evidence])).toEqual([
      ['t', false, []],
      // The unknown id (not a span of this execution) is left out rather than guessed.
      ['main › expect.status.by_name."job.process"', false, [{ traceId: hexId(1, 32), spanId: hexId(2, 16), name: 'job.process' }]],
      ['main › expect.span[0]', true, [{ traceId: hexId(2, 32), spanId: hexId(3, 16), name: 'health' }]],
    ]);
    // The whole-test line is a summary; only expectations count as checks.
    expect(result.verdicts.map((v) => v.kind)).toEqual(['test', 'expectation', 'expectation']);
  });

  it('adds the [determinism] verdict as a check: iterations, hashes and the first differences', async () => {
    store = await openStore({ inMemory: true });
    const run = summary([]);
    const differs = { iterations: 2, hashes: ['a'.repeat(64), 'b'.repeat(64)], passed: false, differingIteration: 2, differences: [{ kind: 'attribute', path: 'api > attr id', message: '"1" vs "2"' }] };
    const withDeterminism = { ...run, tests: [{ ...run.tests[0]!, determinism: [differs] as unknown as NonNullable<RunSummary['tests'][number]['determinism']> }] };
    const result = await runOutcome(withDeterminism, store);
    expect(result.verdicts.at(-1)).toEqual({
      name: 'determinism',
      kind: 'determinism',
      passed: false,
      message: '2 iterations; iteration 2 differs from iteration 1 (hash bbbbbbbbbbbb vs aaaaaaaaaaaa), 1 difference; api > attr id: "1" vs "2"',
      evidence: [],
    });
  });

  it('asks the stored traces of the run for ids the memory index no longer holds', async () => {
    const span = makeSpan({ trace: 7, span: 8, name: 'db.query', resource: tagged('exec-9') });
    const asked: string[] = [];
    const fake: EvidenceStore = {
      liveSpans: () => [],
      listTraces: async (q) => {
        asked.push(q.executionId);
        return { traces: [{ traceId: span.traceId }] };
      },
      getSpans: async (ids) => (ids.includes(span.traceId) ? [span] : []),
    };
    const result = await runOutcome(summary([execution('exec-9', [{ expectation: 'expect.span[0]', kind: 'span', passed: false, message: 'm', spans: [span.spanId] }], { [span.spanId]: 'db.query' })]), fake);
    expect(asked).toEqual(['exec-9']);
    expect(result.verdicts[1]!.evidence).toEqual([{ traceId: span.traceId, spanId: span.spanId, name: 'db.query' }]);
    expect(result.traceIds).toEqual([span.traceId]);
    // Each scenario execution's id, for the service map of this run.
    expect(result.executionIds).toEqual(['exec-9']);
  });

  it('still reports every verdict when the store cannot answer, and caps evidence at 100 spans', async () => {
    const resource = tagged('exec-3');
    const spans = Array.from({ length: 150 }, (_, k) => makeSpan({ trace: 5, span: k + 1, name: `s${k}`, resource }));
    const fake: EvidenceStore = {
      liveSpans: () => spans,
      listTraces: async () => {
        throw new Error('store closed');
      },
      getSpans: async () => [],
    };
    const ids = [...spans.map((s) => s.spanId), hexId(999, 16)];
    const result = await runOutcome(summary([execution('exec-3', [{ expectation: 'expect.counts', kind: 'counts', passed: false, message: 'm', spans: ids }])]), fake);
    expect(result.verdicts).toHaveLength(2);
    expect(result.verdicts[1]!.evidence).toHaveLength(100);
    expect(result.verdicts[1]!.evidence[0]).toEqual({ traceId: hexId(5, 32), spanId: hexId(1, 16), name: 's0' });
  });
});
