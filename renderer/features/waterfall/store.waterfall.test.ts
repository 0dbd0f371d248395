import { beforeEach, describe, expect, it } from 'vitest';
import { useStudio } from '../../app/store';
import { getLoadedTrace, getRows } from './trace-holder';
import { span } from '../../../shared/trace/test-spans';
import { StudioError } from '../../../shared/errors';
import type { StudioApi } from '../../../shared/ipc/contract';

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
const names = () => [...getRows(useStudio.getState().collapseVersion)].map((i) => getLoadedTrace()!.tree.spans[i]!.name);
const at = (name: string) => getLoadedTrace()!.tree.spans.findIndex((s) => s.name === name);

describe('waterfall slice', () => {
  beforeEach(() => useStudio.getState().showSpans(spans[0]!.traceId, spans));

  it('opens a span by id (a link, a URL): revealed and selected, the trace fetched only when not open', async () => {
    const fetched: string[] = [];
    const api = { getTrace: async ({ traceId }: { traceId: string }) => (fetched.push(traceId), { traceId, spans }) } as unknown as StudioApi;
    const s = useStudio.getState();
    s.collapseAll();
    expect(await s.openSpan(api, spans[0]!.traceId, spans[5]!.spanId)).toBe(true);
    expect(fetched).toEqual([]);
    expect(useStudio.getState().selected).toBe(at('b2'));
    expect(names()).toEqual(['root', 'a', 'b', 'b1', 'b2']);
    expect(await s.openSpan(api, spans[0]!.traceId, 'f'.repeat(16))).toBe(false);
    useStudio.setState({ traceLoad: { status: 'idle' } });
    expect(await s.openSpan(api, spans[0]!.traceId, spans[2]!.spanId)).toBe(true);
    expect(fetched).toEqual([spans[0]!.traceId]);
    expect(useStudio.getState().selected).toBe(at('a1'));
  });

  it('loads a trace into the holder and selects its root', () => {
    const s = useStudio.getState();
    expect(s.traceLoad).toEqual({ status: 'ready', traceId: spans[0]!.traceId });
    expect(s.view).toBe('trace');
    expect(s.selected).toBe(at('root'));
    expect(names()).toEqual(['root', 'a', 'a1', 'b', 'b1', 'b2']);
  });

  it('collapses and expands one span, all spans, and ignores leaves', () => {
    const { toggleCollapsed } = useStudio.getState();
    toggleCollapsed(at('b'));
    expect(names()).toEqual(['root', 'a', 'a1', 'b']);
    const v = useStudio.getState().collapseVersion;
    toggleCollapsed(at('a1'));
    expect(useStudio.getState().collapseVersion).toBe(v);
    useStudio.getState().select(at('b2'));
    useStudio.getState().collapseAll();
    expect(names()).toEqual(['root']);
    expect(useStudio.getState().selected).toBe(at('root'));
    useStudio.getState().expandAll();
    expect(names().length).toBe(6);
  });

  it('walks find matches in row order, revealing collapsed ones and asking to scroll there', () => {
    const s = useStudio.getState();
    s.collapseAll();
    s.setFindQuery('redis');
    s.stepMatch(1);
    expect(useStudio.getState().selected).toBe(at('a1'));
    expect(names()).toEqual(['root', 'a', 'a1', 'b']);
    expect(useStudio.getState().scrollRequest?.row).toBe(2);
    useStudio.getState().stepMatch(1);
    expect(useStudio.getState().selected).toBe(at('b2'));
    expect(useStudio.getState().scrollRequest?.row).toBe(5);
    useStudio.getState().stepMatch(1);
    expect(useStudio.getState().matchCursor).toBe(0);
    useStudio.getState().stepMatch(-1);
    expect(useStudio.getState().selected).toBe(at('b2'));
  });

  it('clamps and orders the zoom window', () => {
    useStudio.getState().setZoom([0.8, -1]);
    expect(useStudio.getState().zoom).toEqual([0, 0.8]);
    useStudio.getState().setZoom([0.5, 0.5]);
    const [a, b] = useStudio.getState().zoom;
    expect(b - a).toBeGreaterThan(0);
  });

  it('keeps the error code when a trace cannot be fetched', async () => {
    const api = {
      getTrace: () => Promise.reject(new StudioError({ code: 'trace.invalid', message: 'gone' })),
    } as unknown as StudioApi;
    await useStudio.getState().openTrace(api, 'f'.repeat(32));
    expect(useStudio.getState().traceLoad).toMatchObject({ status: 'error', problem: { code: 'trace.invalid', message: 'gone' } });
  });
});
