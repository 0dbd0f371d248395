// The steps' window a throughput bound can be measured over: read from the runner's own step spans.
import { describe, expect, it } from 'vitest';
import { span } from '../../shared/trace/test-spans';
import { stepsWindow } from './run-checks';

describe('stepsWindow', () => {
  it('spans the first step span start to the last one end, other runner spans aside', () => {
    const spans = [
      span(1, undefined, 0, 9_000, { name: 'clnrm.service.start' }),
      span(2, undefined, 10_000, 30_000, { name: 'clnrm.step:seed' }),
      span(3, undefined, 31_000, 90_000, { name: 'clnrm.step:load' }),
      span(4, undefined, 91_000, 99_000, { name: 'clnrm.cleanup' }),
    ];
    expect(stepsWindow(spans)).toEqual({ startUs: spans[1]!.startUs, endUs: spans[2]!.startUs + spans[2]!.durationUs });
    expect(stepsWindow(spans)!.endUs - stepsWindow(spans)!.startUs).toBe(80_000);
  });

  it('is absent when no step ran', () => {
    expect(stepsWindow([span(1, undefined, 0, 9_000, { name: 'clnrm.service.start' })])).toBeUndefined();
    expect(stepsWindow([])).toBeUndefined();
  });
});
