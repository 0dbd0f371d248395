// Slack in the waterfall: the open trace's per-span slack (shared/perf's computation, cached in the
// trace holder) drawn as a faint bar after the span in critical-path mode, and said in the span details
// (the details panel itself reads the studio store, which server rendering cannot set: e2e/waterfall.spec.ts).
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it } from 'vitest';
import { span } from '../../../shared/trace/test-spans';
import { getLoadedTrace, getSlack, setLoadedTrace } from './trace-holder';
import { SlackFact } from './SpanDetail';
import { WaterfallRow, type WaterfallRowProps } from './WaterfallRow';

// root 0–100 µs ─┬─ fast 0–30 (could end 70 µs later)
//                └─ slow 0–90 (critical path)
const spans = [span(1, undefined, 0, 100, { name: 'root' }), span(2, 1, 0, 30, { name: 'fast' }), span(3, 1, 0, 90, { name: 'slow' })];
const at = (name: string) => getLoadedTrace()!.tree.spans.findIndex((s) => s.name === name);

function row(name: string, slackUs: number | undefined): string {
  const props: WaterfallRowProps = { trace: getLoadedTrace()!, span: at(name), rowIndex: 0, top: 0, selected: false, match: false, currentMatch: false, evidenceFor: undefined, collapsed: false, dimmed: false, sections: undefined, slackUs, zoomFrom: 0, zoomTo: 1, highlight: '', theme: 'light' };
  return renderToStaticMarkup(<WaterfallRow {...props} />);
}


describe('slack in the waterfall', () => {
  beforeEach(() => setLoadedTrace(spans[0]!.traceId, spans));

  it('gives each span its slack, none on the critical path', () => {
    const slack = getSlack()!;
    expect(slack[at('fast')]).toBe(70);
    expect(slack[at('slow')]).toBe(0);
    expect(slack[at('root')]).toBe(0);
    expect(getSlack()).toBe(slack);
  });

  it('draws a faint bar from the span’s end over its slack, only when it has some', () => {
    const html = row('fast', getSlack()![at('fast')]);
    expect(html).toMatch(/class="wf-slack" data-testid="wf-slack" style="left:30%;width:70%" title="slack 70\sµs: could end this much later without delaying the trace"/);
    expect(row('slow', 0)).not.toContain('wf-slack');
    // Critical-path mode off: no slack passed, none drawn.
    expect(row('fast', undefined)).not.toContain('wf-slack');
  });

  it('says a span’s slack among its details', () => {
    expect(renderToStaticMarkup(<SlackFact slackUs={getSlack()![at('fast')]!} />)).toMatch(/<dt>Slack<\/dt><dd data-testid="detail-slack">70\sµs<\/dd>/);
    expect(renderToStaticMarkup(<SlackFact slackUs={0} />)).toContain('<dd data-testid="detail-slack">none (critical path)</dd>');
  });
});
