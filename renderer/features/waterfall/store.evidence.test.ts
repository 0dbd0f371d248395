import { beforeEach, describe, expect, it } from 'vitest';
import { useStudio } from '../../app/store';
import { getEvidenceMarks, getLoadedTrace, getRows } from './trace-holder';
import { span } from '../../../shared/trace/test-spans';
import type { EvidenceSpan, StudioApi } from '../../../shared/ipc/contract';

// root ─┬─ a ── a1 (redis)
//       └─ b ── b1 ── b2 (redis)
const spans = [
  span(1, undefined, 0, 100, { name: 'root' }),
  span(2, 1, 0, 40, { name: 'a' }),
  span(3, 2, 5, 10, { name: 'a1', service: 'redis' }),
  span(4, 1, 50, 90, { name: 'b' }),
  span(5, 4, 55, 80, { name: 'b1' }),
  span(6, 5, 60, 70, { name: 'b2', service: 'redis' }),
];
const traceId = spans[0]!.traceId;
const other = 'e'.repeat(32);
const at = (name: string) => getLoadedTrace()!.tree.spans.findIndex((s) => s.name === name);
const names = () => [...getRows(useStudio.getState().collapseVersion)].map((i) => getLoadedTrace()!.tree.spans[i]!.name);
const ev = (name: string, trace = traceId): EvidenceSpan => ({ traceId: trace, spanId: spans.find((s) => s.name === name)?.spanId ?? 'f'.repeat(16), name });

function fakeApi(result: () => Promise<{ traceId: string; spans: typeof spans }>): { api: StudioApi; calls: string[] } {
  const calls: string[] = [];
  const api = {
    getTrace: (r: { traceId: string }) => {
      calls.push(r.traceId);
      return result();
    },
  } as unknown as StudioApi;
  return { api, calls };
}

describe('waterfall evidence', () => {
  beforeEach(() => {
    useStudio.getState().showSpans(other, [{ ...spans[0]!, traceId: other }]);
    useStudio.getState().setView('tests');
  });

  it('opens the trace of the first evidence span, selects it, reveals and marks every evidence span of that trace', async () => {
    const { api, calls } = fakeApi(async () => ({ traceId, spans }));
    await useStudio.getState().openEvidence(api, 'main › expect.status', [ev('b2'), ev('a1'), ev('x', other)]);
    const s = useStudio.getState();
    expect(calls).toEqual([traceId]);
    expect(s.view).toBe('trace');
    expect(s.traceLoad).toEqual({ status: 'ready', traceId });
    expect(s.selected).toBe(at('b2'));
    expect(s.evidence).toEqual({ traceId, label: 'main › expect.status', spanIds: [ev('b2').spanId, ev('a1').spanId], all: [ev('b2'), ev('a1'), ev('x', other)] });
    const marks = getEvidenceMarks(s.evidence!.spanIds);
    expect([...marks.indices]).toEqual([at('b2'), at('a1')]);
    expect(marks.isEvidence[at('b2')]).toBe(1);
    expect(marks.isEvidence[at('root')]).toBe(0);
    expect(s.scrollRequest?.row).toBe(names().indexOf('b2'));
  });

  it('goes on to the next trace holding evidence of the same check, and back', async () => {
    const otherSpans = [{ ...spans[0]!, traceId: other, spanId: 'a'.repeat(16), name: 'elsewhere' }];
    const { api, calls } = fakeApi(async () => (calls.at(-1) === other ? { traceId: other, spans: otherSpans } : { traceId, spans }));
    const evidence = [ev('b2'), { traceId: other, spanId: 'a'.repeat(16), name: 'elsewhere' }];
    await useStudio.getState().openEvidence(api, 'check', evidence);
    await useStudio.getState().nextEvidenceTrace(api);
    let s = useStudio.getState();
    expect(s.traceLoad).toEqual({ status: 'ready', traceId: other });
    expect(s.evidence).toMatchObject({ traceId: other, spanIds: ['a'.repeat(16)] });
    expect(getLoadedTrace()!.tree.spans[s.selected]!.name).toBe('elsewhere');
    await useStudio.getState().nextEvidenceTrace(api);
    s = useStudio.getState();
    expect(s.evidence).toMatchObject({ traceId, spanIds: [ev('b2').spanId] });
    expect(s.selected).toBe(at('b2'));
    expect(calls).toEqual([traceId, other, traceId]);
  });

  it('reuses the open trace, expanding collapsed ancestors of the evidence', async () => {
    useStudio.getState().showSpans(traceId, spans);
    useStudio.getState().collapseAll();
    expect(names()).toEqual(['root']);
    const { api, calls } = fakeApi(() => Promise.reject(new Error('not expected')));
    await useStudio.getState().openEvidence(api, 'check', [ev('b1')]);
    expect(calls).toEqual([]);
    expect(names()).toEqual(['root', 'a', 'b', 'b1']);
    expect(useStudio.getState().selected).toBe(at('b1'));
    expect(useStudio.getState().scrollRequest?.row).toBe(3);
  });

  it('opening another trace clears the marks; evidence not in the stored trace marks nothing and keeps the selection', async () => {
    const { api } = fakeApi(async () => ({ traceId, spans }));
    await useStudio.getState().openEvidence(api, 'check', [ev('missing')]);
    expect(useStudio.getState().evidence).toMatchObject({ spanIds: ['f'.repeat(16)] });
    expect(getEvidenceMarks(useStudio.getState().evidence!.spanIds).indices.length).toBe(0);
    expect(useStudio.getState().selected).toBe(at('root'));
    useStudio.getState().showSpans(other, [{ ...spans[0]!, traceId: other }]);
    expect(useStudio.getState().evidence).toBeNull();
  });

  it('shows the load error and marks nothing when the trace cannot be fetched', async () => {
    const { api } = fakeApi(() => Promise.reject(new Error('gone')));
    await useStudio.getState().openEvidence(api, 'check', [ev('b2')]);
    expect(useStudio.getState().traceLoad).toMatchObject({ status: 'error', traceId });
    expect(useStudio.getState().evidence).toBeNull();
    await useStudio.getState().openEvidence(api, 'check', []);
    expect(useStudio.getState().traceLoad).toMatchObject({ status: 'error', traceId });
  });
});
