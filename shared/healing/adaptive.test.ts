import { describe, expect, it } from 'vitest';
import { DEFAULT_ADAPTIVE, learnDelay, retryLessons } from './adaptive';
import type { Classification, HealingRecord } from './classes';

const net: Classification = { class: 'transient_network_error', confidence: 0.85, evidence: [] };

describe('adaptive retry delays', () => {
  it('takes one lesson per retry: only the last retry of a healed execution healed', () => {
    const record: HealingRecord = { healed: true, attempts: [{ executionId: 'a', verdict: 'failed', classification: net, delayMs: 100 }, { executionId: 'b', verdict: 'failed', classification: net, delayMs: 200 }] };
    expect(retryLessons(record)).toEqual([{ class: 'transient_network_error', delayMs: 100, healed: false }, { class: 'transient_network_error', delayMs: 200, healed: true }]);
  });

  it('moves toward a shorter delay after healing, a longer one after not healing, within bounds', () => {
    const first = learnDelay(undefined, { class: 'transient_network_error', delayMs: 1000, healed: true }, DEFAULT_ADAPTIVE);
    expect(first).toEqual({ class: 'transient_network_error', delayMs: 975, healed: 1, notHealed: 0 });
    const second = learnDelay(first, { class: 'transient_network_error', delayMs: 1000, healed: false }, DEFAULT_ADAPTIVE);
    expect(second).toEqual({ class: 'transient_network_error', delayMs: 1078, healed: 1, notHealed: 1 });
    expect(learnDelay(undefined, { class: 'transient_network_error', delayMs: 40_000, healed: false }, { ...DEFAULT_ADAPTIVE, learningRate: 1 }).delayMs).toBe(30_000);
    expect(learnDelay(undefined, { class: 'transient_network_error', delayMs: 10, healed: true }, DEFAULT_ADAPTIVE).delayMs).toBe(50);
  });
});
