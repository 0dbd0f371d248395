import { describe, expect, it } from 'vitest';
import { parseTestFile } from '../spec';
import type { Classification } from './classes';
import { describeQuarantine, quarantineSettings, quarantineStep, type QuarantineEntry, type QuarantineSettings } from './quarantine';

const flaky: Classification = { class: 'flaky_test', confidence: 0.9, evidence: [{ kind: 'history', detail: '2 of the last 3 executions failed' }] };
const where = { file: 'tests/coin.clnrm.toml', test: 'coin' };
const now = new Date('2026-01-01T00:00:00Z');
const settings = (over: Partial<QuarantineSettings> = {}): QuarantineSettings => ({ mode: 'autonomous', releaseAfterPasses: 3, failuresBeforeQuarantine: 1, ...over });
const entry = (passes: number): QuarantineEntry => ({ ...where, since: now.toISOString(), reason: 'flaky', consecutivePasses: passes });

function sectionOf(toml: string) {
  const parsed = parseTestFile(`[meta]\nname = "t"\n[[steps]]\nname = "s"\ncommand = ["true"]\n${toml}`, { file: 't.clnrm.toml' });
  expect(parsed.errors).toEqual([]);
  return parsed.tests[0]!.selfHealing;
}

describe('quarantine', () => {
  it('reads mode, the seed’s retry_before_quarantine and our release count from [self_healing]', () => {
    expect(quarantineSettings(undefined)).toEqual({ mode: 'supervised', releaseAfterPasses: 3, failuresBeforeQuarantine: 1 });
    const s = sectionOf(`[self_healing]\nmode = "autonomous"\nquarantine_release_after = 5\n[[self_healing.patterns.classifier]]\npattern = "flaky_test"\nindicators = [{ type = "historical_failure_rate", min = 0.01, max = 0.5 }]\nremediation = "quarantine_and_analyze"\nretry_before_quarantine = 2\n`);
    expect(quarantineSettings(s)).toEqual({ mode: 'autonomous', releaseAfterPasses: 5, failuresBeforeQuarantine: 2 });
    expect(quarantineSettings(sectionOf('[self_healing]\nenabled = false\n')).mode).toBe('disabled');
  });

  it('autonomous: a flaky failure enters quarantine; a plain failure does not', () => {
    const step = quarantineStep(where, undefined, { verdict: 'failed', flaky, failuresInWindow: 2 }, settings(), now);
    expect(step.entry).toEqual({ ...where, since: '2026-01-01T00:00:00.000Z', reason: 'flaky_test (90 %): 2 of the last 3 executions failed', consecutivePasses: 0 });
    expect(step.note?.state).toBe('quarantined');
    expect(quarantineStep(where, undefined, { verdict: 'failed', failuresInWindow: 2 }, settings(), now)).toEqual({});
  });

  it('waits for retry_before_quarantine failures in the window', () => {
    expect(quarantineStep(where, undefined, { verdict: 'failed', flaky, failuresInWindow: 1 }, settings({ failuresBeforeQuarantine: 2 }), now)).toEqual({});
  });

  it('supervised proposes and keeps no entry; disabled does nothing at all', () => {
    const proposed = quarantineStep(where, undefined, { verdict: 'failed', flaky, failuresInWindow: 2 }, settings({ mode: 'supervised' }), now);
    expect(proposed.entry).toBeUndefined();
    expect(describeQuarantine(proposed.note!)).toMatch(/^proposed for quarantine/);
    expect(quarantineStep(where, undefined, { verdict: 'failed', flaky, failuresInWindow: 2 }, settings({ mode: 'disabled' }), now)).toEqual({});
    expect(quarantineStep(where, entry(0), { verdict: 'failed', failuresInWindow: 2 }, settings({ mode: 'disabled' }), now)).toEqual({ entry: entry(0) });
  });

  it('counts passes in a row, resets on a failure, releases after N', () => {
    expect(quarantineStep(where, entry(1), { verdict: 'passed', failuresInWindow: 0 }, settings(), now)).toMatchObject({ entry: { consecutivePasses: 2 }, note: { state: 'quarantined', consecutivePasses: 2 } });
    expect(quarantineStep(where, entry(2), { verdict: 'failed', failuresInWindow: 3 }, settings(), now)).toMatchObject({ entry: { consecutivePasses: 0 }, note: { state: 'quarantined' } });
    const released = quarantineStep(where, entry(2), { verdict: 'passed', failuresInWindow: 0 }, settings(), now);
    expect(released.entry).toBeUndefined();
    expect(describeQuarantine(released.note!)).toBe('left quarantine after 3 passes in a row');
  });
});
