// One row of the waterfall: the tree cell (indent, toggle, service, operation, marks) and the
// timeline cell (bar, duration, event ticks, critical path sections and slack). Memoized: while scrolling
// only the rows whose content changed re-render.
import { memo } from 'react';
import type { ReactNode } from 'react';
import { CYCLE, ORPHAN } from '../../../shared/trace';
import type { CriticalSection } from '../../../shared/trace';
import { nanoToMicros } from '../../../shared/model';
import type { LoadedTrace } from './trace-holder';
import { formatDuration } from './format';
import { ROW_H } from './geometry';

/** Indentation stops growing here; deeper spans show their depth as a number instead. */
const MAX_INDENT_LEVELS = 8;
const INDENT_PX = 14;

export interface WaterfallRowProps {
  trace: LoadedTrace;
  span: number;
  rowIndex: number;
  top: number;
  selected: boolean;
  match: boolean;
  currentMatch: boolean;
  /** The test check this span is evidence for, when it is. */
  evidenceFor: string | undefined;
  collapsed: boolean;
  dimmed: boolean;
  sections: readonly CriticalSection[] | undefined;
  /** Critical-path mode: how much later (µs) this span could end without delaying the trace. */
  slackUs: number | undefined;
  zoomFrom: number;
  zoomTo: number;
  highlight: string;
  theme: 'light' | 'dark';
}

function highlighted(text: string, needle: string): ReactNode {
  if (!needle) return text;
  const at = text.toLowerCase().indexOf(needle);
  if (at < 0) return text;
  return (
    <>
      {text.slice(0, at)}
      <mark>{text.slice(at, at + needle.length)}</mark>
      {text.slice(at + needle.length)}
    </>
  );
}

export const WaterfallRow = memo(function WaterfallRow(p: WaterfallRowProps) {
  const { tree, colors } = p.trace;
  const s = tree.spans[p.span]!;
  const depth = tree.depth[p.span]!;
  const hasChildren = tree.descendants[p.span]! > 0;
  const flags = tree.flags[p.span]!;
  const isError = s.status.code === 'error';
  const color = colors.get(s.serviceName);
  const barColor = isError ? 'var(--error)' : (p.theme === 'dark' ? color?.dark : color?.light) ?? 'var(--accent)';

  const total = Math.max(tree.traceEndUs - tree.traceStartUs, 1e-9);
  const fromUs = tree.traceStartUs + p.zoomFrom * total;
  const spanUs = Math.max((p.zoomTo - p.zoomFrom) * total, 1e-9);
  const x = (us: number) => ((us - fromUs) / spanUs) * 100;
  const left = x(tree.startUs[p.span]!);
  const right = x(tree.endUs[p.span]!);
  // Duration label: after the bar, or before it when the bar reaches the right edge, or inside it
  // when the bar fills the whole row.
  const labelPlace = right <= 78 ? 'after' : left > 14 ? 'before' : 'inside';

  const indentLevels = Math.min(depth, MAX_INDENT_LEVELS);
  const className =
    'wf-row' +
    (p.selected ? ' is-selected' : '') +
    (p.match ? ' is-match' : '') +
    (p.currentMatch ? ' is-current-match' : '') +
    (p.evidenceFor !== undefined ? ' is-evidence' : '') +
    (isError ? ' is-error' : '') +
    (p.dimmed ? ' is-dimmed' : '');

  return (
    <div
      role="row"
      id={`wf-row-${p.span}`}
      className={className}
      data-span={p.span}
      aria-level={Math.min(depth + 1, 2 ** 31 - 1)}
      aria-rowindex={p.rowIndex + 1}
      aria-selected={p.selected}
      aria-expanded={hasChildren ? !p.collapsed : undefined}
      style={{ transform: `translateY(${p.top}px)`, height: ROW_H }}
    >
      <div role="gridcell" className="wf-name">
        <span className="wf-indent" style={{ width: indentLevels * INDENT_PX }} />
        {depth > MAX_INDENT_LEVELS && (
          <span className="wf-depth" title={`level ${(depth + 1).toLocaleString()}`}>
            {(depth + 1).toLocaleString()}
          </span>
        )}
        {hasChildren ? (
          <button className={p.collapsed ? 'wf-toggle' : 'wf-toggle open'} tabIndex={-1} aria-label={p.collapsed ? 'Expand' : 'Collapse'} data-toggle="1" />
        ) : (
          <span className="wf-toggle-spacer" />
        )}
        <span className="wf-service-bar" style={{ background: barColor }} />
        <span className="wf-service">{highlighted(s.serviceName, p.highlight)}</span>
        <span className="wf-op">{highlighted(s.name, p.highlight)}</span>
        {isError && (
          <span className="wf-err" title={s.status.message ?? 'error status'} aria-label="error">
            !
          </span>
        )}
        {p.evidenceFor !== undefined && (
          <span className="chip wf-evidence" title={`evidence for ${p.evidenceFor}`} aria-label={`evidence for ${p.evidenceFor}`} data-evidence="1">
            evidence
          </span>
        )}
        {flags & ORPHAN ? <span className="chip wf-flag" title={`parent ${s.parentSpanId} is not in this trace`}>missing parent</span> : null}
        {flags & CYCLE ? <span className="chip wf-flag" title="this span's parent chain loops back to it; shown as a root">cycle</span> : null}
        {hasChildren && p.collapsed && <span className="wf-count">{tree.descendants[p.span]!.toLocaleString()}</span>}
      </div>
      <div role="gridcell" className="wf-time">
        <div
          className="wf-bar"
          style={{ left: `${left}%`, width: `max(2px, ${right - left}%)`, background: barColor }}
          title={`${s.serviceName} · ${s.name}\n${formatDuration(s.durationUs)} starting at +${formatDuration(tree.startUs[p.span]! - tree.traceStartUs)}${isError ? `\nerror: ${s.status.message ?? ''}` : ''}`}
        >
          {p.sections?.map((c, k) => (
            <span key={k} className="wf-critical" style={{ left: `${((c.startUs - tree.startUs[p.span]!) / Math.max(tree.endUs[p.span]! - tree.startUs[p.span]!, 1e-9)) * 100}%`, width: `${((c.endUs - c.startUs) / Math.max(tree.endUs[p.span]! - tree.startUs[p.span]!, 1e-9)) * 100}%` }} />
          ))}
        </div>
        {p.slackUs !== undefined && p.slackUs > 0 && (
          <span
            className="wf-slack"
            data-testid="wf-slack"
            style={{ left: `${right}%`, width: `${x(tree.endUs[p.span]! + p.slackUs) - right}%` }}
            title={`slack ${formatDuration(p.slackUs)}: could end this much later without delaying the trace`}
          />
        )}
        {s.events.slice(0, 32).map((e, k) => (
          <span key={k} className={'wf-event' + (e.name === 'exception' ? ' is-exception' : '')} style={{ left: `${x(nanoToMicros(e.timeUnixNano))}%` }} title={e.name} />
        ))}
        <span
          className={'wf-dur wf-dur-' + labelPlace}
          style={labelPlace === 'after' ? { left: `${Math.max(0, right)}%` } : labelPlace === 'before' ? { right: `${100 - left}%` } : { right: `${Math.max(0, 100 - Math.min(right, 100))}%` }}
        >
          {formatDuration(s.durationUs)}
        </span>
      </div>
    </div>
  );
});
