// The traces-list slice under answers that overlap: while a large import asks again with every batch,
// an answer is shown even though a newer request is still out; an answer older than the one shown,
// or one to a query the user has since changed, is never shown.
import { describe, expect, it } from 'vitest';
import type { CallResponse, TraceSummary } from '../../../shared/ipc/contract';
import { useStudio } from '../../app/store';
import { fakeApi, resetStudioBeforeEach } from '../../app/store-testing';

resetStudioBeforeEach();

function summary(spanCount: number): TraceSummary {
  return { traceId: 'a'.repeat(32), rootName: 'GET /', rootService: 'web', startUs: 1, durationUs: 10, spanCount, errorCount: 0, services: ['web'] };
}

/** listTraces whose answers the test gives, one by one, in any order. */
function heldAnswers() {
  const held: Array<(answer: CallResponse<'listTraces'>) => void> = [];
  const api = fakeApi({ listTraces: () => new Promise((answer) => held.push(answer)) });
  const answer = async (k: number, spanCount: number) => {
    held[k]!({ traces: [summary(spanCount)], total: 1 });
    await new Promise((go) => setTimeout(go, 0));
  };
  return { api, answer };
}
const shownSpans = () => useStudio.getState().traces.map((t) => t.spanCount);

describe('traces list slice', () => {
  it('shows an answer while a newer request is out, then the newer one, and never goes back', async () => {
    const { api, answer } = heldAnswers();
    const { loadTraces } = useStudio.getState();
    void loadTraces(api);
    void loadTraces(api);
    void loadTraces(api);
    await answer(0, 5000);
    expect(shownSpans()).toEqual([5000]);
    expect(useStudio.getState().tracesStatus).toBe('loading');
    await answer(2, 15_000);
    expect(shownSpans()).toEqual([15_000]);
    expect(useStudio.getState().tracesStatus).toBe('ready');
    await answer(1, 10_000); // older than the one shown
    expect(shownSpans()).toEqual([15_000]);
    expect(useStudio.getState().tracesStatus).toBe('ready');
  });

  it('drops an answer to a query the user has changed since', async () => {
    const { api, answer } = heldAnswers();
    const { loadTraces, setTracesQuery } = useStudio.getState();
    void loadTraces(api);
    setTracesQuery({ service: 'web' });
    void loadTraces(api);
    await answer(0, 5000);
    expect(shownSpans()).toEqual([]);
    await answer(1, 7000);
    expect(shownSpans()).toEqual([7000]);
  });
});
