// Span detail panel: everything the span carries (attributes, events, links, resource, scope),
// with copy buttons for ids and values; a linked span opens (in its trace) on click.
import { useStudio } from '../../app/store';
import { useApi } from '../../api/api-context';
import { CopyButton } from '../../app/CopyButton';
import { nanoToMicros, toText } from '../../../shared/model';
import type { KeyValue } from '../../../shared/model';
import { CYCLE, ORPHAN } from '../../../shared/trace';
import { getLoadedTrace, getSlack } from './trace-holder';
import { formatDuration } from './format';

function Attributes({ list, label }: { list: readonly KeyValue[]; label: string }) {
  if (list.length === 0) return <p className="faint detail-empty">No {label}.</p>;
  return (
    <table className="kv">
      <tbody>
        {list.map((kv, k) => {
          const value = toText(kv.value);
          return (
            <tr key={k}>
              <th scope="row" className="mono" title={kv.key}>
                {kv.key}
              </th>
              <td className="mono">
                <span className="kv-value">{value}</span>
                <CopyButton text={value} label={`value of ${kv.key}`} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Section({ title, count, children, open = true }: { title: string; count?: number; children: React.ReactNode; open?: boolean }) {
  return (
    <details className="detail-section" open={open}>
      <summary>
        {title}
        {count !== undefined && <span className="faint"> {count}</span>}
      </summary>
      {children}
    </details>
  );
}

/** The span's slack among the header facts (from shared/perf's computation, via the trace holder). */
export function SlackFact({ slackUs }: { slackUs: number }) {
  return (
    <div title="How much later this span could end without delaying the trace (0 on the critical path)">
      <dt>Slack</dt>
      <dd data-testid="detail-slack">{slackUs > 0 ? formatDuration(slackUs) : 'none (critical path)'}</dd>
    </div>
  );
}

export function SpanDetail({ theme }: { theme: 'light' | 'dark' }) {
  const selected = useStudio((s) => s.selected);
  const openSpan = useStudio((s) => s.openSpan);
  const connected = useApi();
  const api = connected instanceof Error ? null : connected;
  useStudio((s) => s.traceVersion);
  const trace = getLoadedTrace();
  if (!trace || selected < 0 || selected >= trace.tree.size) {
    return (
      <aside className="detail" aria-label="Span details">
        <p className="faint detail-empty">Select a span to see its attributes, events and links.</p>
      </aside>
    );
  }
  const s = trace.tree.spans[selected]!;
  const flags = trace.tree.flags[selected]!;
  const color = trace.colors.get(s.serviceName);
  const offset = s.startUs - trace.tree.traceStartUs;
  const slackUs = getSlack()?.[selected] ?? 0;
  return (
    <aside className="detail" aria-label="Span details" data-testid="span-detail">
      <header className="detail-head">
        <div className="detail-service">
          <span className="dot" style={{ background: theme === 'dark' ? color?.dark : color?.light }} />
          {s.serviceName}
          <span className="chip">{s.kind}</span>
          {s.status.code === 'error' && <span className="chip badge-error">error</span>}
          {s.status.code === 'ok' && <span className="chip">ok</span>}
        </div>
        <h2 className="detail-name">{s.name}</h2>
        {s.status.message && <p className="detail-status">{s.status.message}</p>}
        <dl className="detail-facts">
          <div>
            <dt>Duration</dt>
            <dd>{formatDuration(s.durationUs)}</dd>
          </div>
          <div>
            <dt>Starts at</dt>
            <dd>+{formatDuration(offset)}</dd>
          </div>
          <SlackFact slackUs={slackUs} />
          <div>
            <dt>Level</dt>
            <dd>{(trace.tree.depth[selected]! + 1).toLocaleString()}</dd>
          </div>
          <div>
            <dt>Children</dt>
            <dd>{(trace.tree.childOffset[selected + 1]! - trace.tree.childOffset[selected]!).toLocaleString()}</dd>
          </div>
        </dl>
        <div className="detail-ids mono">
          <span>span</span>
          <code data-testid="detail-span-id">{s.spanId}</code>
          <CopyButton text={s.spanId} label="span id" />
          <span>trace</span>
          <code>{s.traceId}</code>
          <CopyButton text={s.traceId} label="trace id" />
          {s.parentSpanId && (
            <>
              <span>parent</span>
              <code>{s.parentSpanId}</code>
              <CopyButton text={s.parentSpanId} label="parent span id" />
            </>
          )}
        </div>
        {flags & ORPHAN ? <p className="detail-warn">Its parent span {s.parentSpanId} is not in this trace (shown at root level).</p> : null}
        {flags & CYCLE ? <p className="detail-warn">Its parent chain loops back to it; the loop was cut here.</p> : null}
      </header>
      <div className="detail-body">
        <Section title="Attributes" count={s.attributes.length}>
          <Attributes list={s.attributes} label="attributes" />
          {s.droppedAttributesCount ? <p className="faint">{s.droppedAttributesCount} attributes were dropped by the SDK.</p> : null}
        </Section>
        <Section title="Events" count={s.events.length}>
          {s.events.length === 0 && <p className="faint detail-empty">No events.</p>}
          {s.events.map((e, k) => (
            <div key={k} className="detail-event">
              <div className="detail-event-head">
                <span className={e.name === 'exception' ? 'wf-err-text' : ''}>{e.name}</span>
                <span className="faint">+{formatDuration(nanoToMicros(e.timeUnixNano) - s.startUs)}</span>
              </div>
              {e.attributes.length > 0 && <Attributes list={e.attributes} label="event attributes" />}
            </div>
          ))}
        </Section>
        <Section title="Links" count={s.links.length} open={s.links.length > 0}>
          {s.links.length === 0 && <p className="faint detail-empty">No links.</p>}
          {s.links.map((l, k) => (
            <div key={k} className="detail-event mono">
              <div className="detail-link">
                {api ? (
                  <button className="link-btn" onClick={() => void openSpan(api, l.traceId, l.spanId)} title={l.traceId === s.traceId ? 'Select the linked span in this trace' : 'Open the linked span in its trace'}>
                    {l.traceId === s.traceId ? `span ${l.spanId} (this trace)` : `${l.traceId}/${l.spanId}`}
                  </button>
                ) : (
                  <code>
                    {l.traceId}/{l.spanId}
                  </code>
                )}
                <CopyButton text={`${l.traceId}/${l.spanId}`} label="linked span" />
              </div>
              {l.attributes.length > 0 && <Attributes list={l.attributes} label="link attributes" />}
            </div>
          ))}
        </Section>
        <Section title="Resource" count={s.resource.attributes.length} open={false}>
          <Attributes list={s.resource.attributes} label="resource attributes" />
        </Section>
        <Section title="Instrumentation scope" open={false}>
          <p className="mono">
            {s.scope.name || '(unnamed)'} {s.scope.version ?? ''}
          </p>
          {s.scope.attributes && <Attributes list={s.scope.attributes} label="scope attributes" />}
        </Section>
      </div>
    </aside>
  );
}
