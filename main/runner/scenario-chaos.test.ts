// Which form declared a scenario's chaos, as its fault windows record it: the repository's chaos examples
// (a file's `[chaos.experiment]`, a scenario's `chaos_injection`, `[[scenario.phase]]`) planned without Docker;
// a phase decided while running as the `phase-verdict` run event.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decidePhases, readyPhases } from '../../shared/chaos/experiment-live';
import type { Request } from '../../shared/chaos/experiment-judge';
import { RunEventSchema } from '../../shared/run';
import { parseTestFile } from '../../shared/spec';
import { phaseVerdictEvent, planFor } from './scenario-chaos';

const example = (name: string) => {
  const file = join(import.meta.dirname, '..', '..', 'examples', 'chaos', `${name}.clnrm.toml`);
  const { tests, errors } = parseTestFile(readFileSync(file, 'utf8'), { file });
  expect(errors).toEqual([]);
  return tests[0]!;
};

describe('planFor', () => {
  it.each([
    ['db-paused-cache-serves', 'experiment', 'chaos.experiment'],
    ['clnrm-injection-db-paused', 'scenario', undefined],
    ['phases-db-paused', 'phase', 'scenario[0].phase'],
  ])('%s is a %s fault source', (name, source, summaryPath) => {
    const test = example(name);
    const planned = planFor(test, test.scenarios[0]);
    expect(planned).toMatchObject({ source });
    expect(planned?.summaryPath).toBe(summaryPath);
    expect(planned!.plan.injections.map((i) => i.service)).toContain('db');
  });
});

describe('phaseVerdictEvent', () => {
  const requests: Request[] = Array.from({ length: 40 }, (_, i) => ({ spanId: `${i}`.padStart(16, '0'), name: 'GET /items/1', root: true, startMs: i * 100, durationMs: 4, ok: i !== 5, attrs: {} }));

  it.each([
    ['db-paused-cache-serves', ['chaos.experiment.steady_state.assertion[0]', 'chaos.experiment.steady_state.assertion[1]']],
    ['phases-db-paused', ['scenario[0].phase[0].expect[0].success_rate', 'scenario[0].phase[0].expect[0].p95_latency_ms']],
  ])('%s: its steady state decided while running is a valid run event, at the paths the end reports', (name, paths) => {
    const test = example(name);
    const { plan } = planFor(test, test.scenarios[0])!;
    const firstIn = plan.injections[0]!.startMs + 150;
    const now = { elapsedMs: firstIn + 1000, outcomes: plan.injections.map((i) => ({ path: i.path, fault: i.fault, service: i.service, startedMs: firstIn })), completeBeforeMs: firstIn + 1000 };
    const [steady] = decidePhases(readyPhases(plan, now, new Set()), requests, now.elapsedMs);
    const event = phaseVerdictEvent(test.name, 'e0123456789a', plan.name, steady!);
    const parsed = RunEventSchema.parse({ ...event, at: 1, runId: 'r0123456789a' });
    expect(parsed).toMatchObject({ type: 'phase-verdict', phase: 'steady_state', startMs: 0, endMs: firstIn, decidedAtMs: firstIn + 1000 });
    if (parsed.type !== 'phase-verdict') throw new Error('not a phase verdict');
    expect(parsed.verdicts.map((v) => v.path)).toEqual(paths);
    // Request 5 failed: the steady state's success rate is below 100 %, with that span as evidence.
    expect(parsed.verdicts[0]).toMatchObject({ type: 'success_rate', passed: false, evidence: ['0000000000000005'] });
  });
});
