// "Learn from" in the Suggestions panel: the file's stored runs, traces in the store (the open trace
// and/or trace ids the user pastes; imported trace files are stored traces), or a Jaeger / Tempo query
// API with a service and a limit. The form is local until "Learn" sets the slice's source; the back end
// checks every field (a bad id or URL comes back as the panel's problem).
import { useState } from 'react';
import type { SuggestionLearnSource } from '../../../shared/ipc/contract';
import { tracesSource } from './source-form';
import { DEFAULT_SOURCE } from './store.suggestions';

type Kind = SuggestionLearnSource['kind'];
type Remote = Extract<SuggestionLearnSource, { kind: 'remote' }>;

interface Props {
  source: SuggestionLearnSource;
  /** The trace open in the Trace view, if any. */
  openTraceId: string | undefined;
  onLearn(source: SuggestionLearnSource): void;
}

/** Each query API's usual local address: the URL to start from. */
const LOCAL_URL: Record<Remote['system'], string> = { jaeger: 'http://localhost:16686', tempo: 'http://localhost:3200' };
const DEFAULT_REMOTE: Remote = { kind: 'remote', system: 'jaeger', url: LOCAL_URL.jaeger, service: '', limit: 20 };

/** Another system: its usual address replaces the other's, a URL the user typed stays. */
function withSystem(remote: Remote, system: Remote['system']): Remote {
  return { ...remote, system, url: remote.url === LOCAL_URL[remote.system] ? LOCAL_URL[system] : remote.url };
}

export function SourcePicker({ source, openTraceId, onLearn }: Props) {
  const [kind, setKind] = useState<Kind>(source.kind);
  const [useOpen, setUseOpen] = useState(source.kind !== 'traces' || (openTraceId !== undefined && source.traceIds.includes(openTraceId)));
  const [typed, setTyped] = useState(source.kind === 'traces' ? source.traceIds.filter((id) => id !== openTraceId).join(' ') : '');
  const [remote, setRemote] = useState<Remote>(source.kind === 'remote' ? source : DEFAULT_REMOTE);
  const traces = tracesSource(openTraceId, useOpen, typed);
  const ready = kind === 'runs' || (kind === 'traces' ? traces.traceIds.length > 0 : remote.url.trim() !== '' && remote.service.trim() !== '');
  const learn = () => onLearn(kind === 'runs' ? (source.kind === 'runs' ? source : DEFAULT_SOURCE) : kind === 'traces' ? traces : { ...remote, url: remote.url.trim(), service: remote.service.trim() });
  const radio = (value: Kind, label: string) => (
    <label>
      <input type="radio" name="suggest-source" value={value} checked={kind === value} onChange={() => setKind(value)} /> {label}
    </label>
  );
  return (
    <fieldset className="suggest-source" aria-label="Learn from">
      <legend>Learn from</legend>
      <div className="suggest-source-kinds">
        {radio('runs', "this file's stored runs")}
        {radio('traces', 'traces in the store')}
        {radio('remote', 'Jaeger or Tempo')}
      </div>
      {kind === 'traces' && (
        <div className="suggest-source-fields">
          <label title={openTraceId ? undefined : 'Open a trace in the Trace view first'}>
            <input type="checkbox" checked={useOpen && openTraceId !== undefined} disabled={openTraceId === undefined} onChange={(e) => setUseOpen(e.target.checked)} /> the open trace
            {openTraceId ? <code> {openTraceId.slice(0, 8)}</code> : <span className="muted"> (none open)</span>}
          </label>
          <label className="suggest-source-wide">
            <span>more trace ids (32 hex digits each, separated by spaces)</span>
            <textarea className="mono" aria-label="Trace ids to learn from" rows={2} value={typed} onChange={(e) => setTyped(e.target.value)} spellCheck={false} />
          </label>
        </div>
      )}
      {kind === 'remote' && (
        <div className="suggest-source-fields">
          <select aria-label="Query API" value={remote.system} onChange={(e) => setRemote(withSystem(remote, e.target.value as Remote['system']))}>
            <option value="jaeger">Jaeger</option>
            <option value="tempo">Tempo</option>
          </select>
          <input className="mono suggest-source-url" aria-label="Query API URL" placeholder={LOCAL_URL[remote.system]} value={remote.url} onChange={(e) => setRemote({ ...remote, url: e.target.value })} />
          <input aria-label="Service" placeholder="service" value={remote.service} onChange={(e) => setRemote({ ...remote, service: e.target.value })} />
          <label>
            limit <input type="number" aria-label="Most traces" min={1} max={200} value={remote.limit} onChange={(e) => setRemote({ ...remote, limit: Number(e.target.value) })} />
          </label>
        </div>
      )}
      <button className="btn btn-small" disabled={!ready} onClick={learn}>
        Learn
      </button>
    </fieldset>
  );
}
