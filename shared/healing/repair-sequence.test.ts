import { describe, expect, it } from 'vitest';
import { parseTestFile } from '../spec';
import type { Classification } from './classes';
import { proposeRepairs, type RepairInput } from './repairs';

const FILE = `[meta]
name = "racing"
version = "1"

[[scenario]]
name = "setup"
run = "true"

[[scenario]]
name = "writers"
concurrent = true   # both write the same file

[[scenario.steps]]
name = "write-a"
command = ["sh", "-c", "echo a > /tmp/shared"]

[[scenario.steps]]
name = "write-b"
command = ["sh", "-c", "echo b > /tmp/shared"]
`;

const flaky: Classification = { class: 'flaky_test', confidence: 0.8, evidence: [{ kind: 'history', detail: 'flipped 4 times in 10 runs' }] };
const assertion: Classification = { class: 'assertion_failure', confidence: 0.8, evidence: [{ kind: 'step', detail: 'output did not match', ref: 'write-a' }] };

const input = (over: Partial<RepairInput> = {}): RepairInput => ({ file: 't.clnrm.toml', source: FILE, classification: flaky, scenario: 'writers', failedSteps: ['write-a'], ...over });

describe('concurrency repair', () => {
  it('concurrent steps of a flaky scenario are proposed to run in sequence, changing only that line', () => {
    const [repair, ...rest] = proposeRepairs(input());
    expect(rest).toEqual([]);
    expect(repair).toMatchObject({ kind: 'run-steps-in-sequence', reason: 'flaky_test (80 %)', description: "run scenario `writers`'s steps one after another ([scenario[1]] concurrent = false)" });
    expect(repair!.evidence).toEqual(['scenario `writers` runs its 2 steps at once (concurrent = true)', 'flipped 4 times in 10 runs']);
    expect(repair!.text).toBe(FILE.replace('concurrent = true   #', 'concurrent = false  #'));
    const parsed = parseTestFile(repair!.text, { file: 't.clnrm.toml' });
    expect(parsed.errors).toEqual([]);
    expect(parsed.tests[0]!.scenarios[1]!.concurrent).toBe(false);
  });

  it('steps that failed together in one execution are enough, without a history', () => {
    const [repair] = proposeRepairs(input({ classification: assertion, failedSteps: ['write-a', 'write-b'] }));
    expect(repair!.evidence).toContain('2 of them failed in the same execution: `write-a`, `write-b`');
  });

  it('one steady failing step, a sequential scenario or another class gets no proposal', () => {
    expect(proposeRepairs(input({ classification: assertion }))).toEqual([]);
    expect(proposeRepairs(input({ scenario: 'setup' }))).toEqual([]);
    expect(proposeRepairs(input({ classification: { ...flaky, class: 'resource_exhaustion' } }))).toEqual([]);
  });
});
