// Service map: which service calls which, with call counts, error counts and latency
// percentiles on the edges, laid out left to right (callers first). For a test run, the services
// and calls its test file declares are drawn beside the observed ones: a declared service that
// sent no spans, a declared call never made and an undeclared one each stand out. The map of all
// services follows the traces list's time range (a lookback chosen here, or a range dragged there).
// Services with a fault active in that range (or in the run shown) are ringed, and calls through them marked;
// with a range open to now (or none), only while the fault is in (live from a running execution's events).
import { memo, useEffect, useMemo, useState } from 'react';
import { Handle, MarkerType, Position } from '@xyflow/react';
import type { Node, NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useApi } from '../../api/api-context';
import { EmptyState, ErrorState, Loading } from '../../app/States';
import { assignServiceColors } from '../../../shared/trace';
import type { ServiceEdge } from '../../../shared/ipc/contract';
import { toProblem } from '../../../shared/errors';
import type { Problem } from '../../../shared/errors';
import { ReceiverAddress } from '../../app/ReceiverHint';
import { useStudio } from '../../app/store';
import { edgeKey, layoutServices, type ServiceLayout } from './layout';
import { LaidOutGraph, type RoutedEdge } from './RoutedEdge';
import { compareWithDeclared, observedOnly, type MapEdge, type MapGraph, type Presence } from './compare';
import { TimeRangeControl } from './TimeRangeControl';
import { describeRange } from './time-range';
import './service-map.css';
import { faultedServices, isFaultedEdge, windowsOnMap } from '../fault-bands/fault-bands';
import { useFaultWindows } from '../fault-bands/use-fault-windows';

const ms = (v: number) => (v >= 100 ? `${v.toFixed(0)} ms` : v >= 10 ? `${v.toFixed(1)} ms` : `${v.toFixed(2)} ms`);

type ServiceNodeData = { name: string; color: string; calls: number; errors: number; presence: Presence; compared: boolean; faults: readonly string[]; faultsWhen: string };
type ServiceNode = Node<ServiceNodeData, 'service'>;

// Defined outside render and memoized, as React Flow asks.
const ServiceNodeView = memo(function ServiceNodeView({ data }: NodeProps<ServiceNode>) {
  return (
    <div
      className={'svc-node' + (data.presence === 'declared' ? ' is-silent' : data.compared && data.presence === 'observed' ? ' is-undeclared' : '') + (data.faults.length > 0 ? ' is-faulted' : '')}
      style={{ borderColor: data.color }}
      title={data.presence === 'declared' ? undefined : `List the traces of ${data.name}`}
    >
      <Handle type="target" position={Position.Left} />
      <span className="dot" style={{ background: data.color }} />
      <div>
        <div className="svc-name">{data.name}</div>
        <div className="svc-meta">
          {data.presence === 'declared' ? 'declared · sent no spans' : data.calls > 0 ? `${data.calls.toLocaleString()} call${data.calls === 1 ? '' : 's'} in` : 'entry point'}
          {data.errors > 0 && <span className="wf-err-text"> · {data.errors} error{data.errors === 1 ? '' : 's'}</span>}
          {data.compared && data.presence === 'observed' && <span className="svc-flag"> · not declared</span>}
        </div>
      </div>
      {data.faults.length > 0 && (
        <span className="svc-fault-badge" role="note" aria-label={`Fault active on ${data.name}: ${data.faults.join(', ')}`} title={`Fault active on ${data.name} ${data.faultsWhen}: ${data.faults.join(', ')}`}>
          ⚡ fault: {data.faults.join(', ')}
        </span>
      )}
      <Handle type="source" position={Position.Right} />
    </div>
  );
});
const nodeTypes = { service: ServiceNodeView };

const DECLARED_ONLY = 'declared · never called';
const observedSummary = (e: ServiceEdge) =>
  `${e.calls.toLocaleString()}× · p50 ${ms(e.p50Ms)} · p99 ${ms(e.p99Ms)}${e.errors > 0 ? ` · ${e.errors} error${e.errors === 1 ? '' : 's'}` : ''}`;
const observedText = (e: ServiceEdge) =>
  `${e.calls.toLocaleString()} call${e.calls === 1 ? '' : 's'}${e.errors > 0 ? ` · ${e.errors} error${e.errors === 1 ? '' : 's'}` : ''}\np50 ${ms(e.p50Ms)} · p99 ${ms(e.p99Ms)}`;
// The edge's group is already named "Edge from A to B": the summary says the rest.
const edgeSummary = (e: MapEdge, compared: boolean) =>
  e.presence === 'declared' ? DECLARED_ONLY : observedSummary(e) + (compared && e.presence === 'observed' ? ' · not declared' : '');
const edgeText = (e: MapEdge, compared: boolean) =>
  e.presence === 'declared' ? DECLARED_ONLY : observedText(e) + (compared && e.presence === 'observed' ? '\nnot declared' : '');

export function ServiceMapView({ theme }: { theme: 'light' | 'dark' }) {
  const api = useApi();
  const [graph, setGraph] = useState<MapGraph | null>(null);
  const [layout, setLayout] = useState<ServiceLayout | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  /** The test file could not be read: the run's observed services are shown alone, with why. */
  const [declaredProblem, setDeclaredProblem] = useState<Problem | null>(null);
  const [testName, setTestName] = useState<string | null>(null);
  const checkStoreStatus = useStudio((s) => s.checkStoreStatus);
  const mapRun = useStudio((s) => s.mapRun);
  const clearMapRun = useStudio((s) => s.clearMapRun);
  const setTracesQuery = useStudio((s) => s.setTracesQuery);
  const setView = useStudio((s) => s.setView);
  const sinceUs = useStudio((s) => s.tracesQuery.sinceUs);
  const untilUs = useStudio((s) => s.tracesQuery.untilUs);
  const chosen = useStudio((s) => s.mapLookback);
  const lookback = chosen !== null && chosen.sinceUs === sinceUs && untilUs === undefined ? chosen.id : null;
  // A run's map shows that run whatever the range; the map of all services shows the range.
  const ranged = !mapRun && (sinceUs !== undefined || untilUs !== undefined);
  // A run's map: its executions' faults; the map of all services: those active in its range, or now when it runs to now.
  const atNow = !mapRun && untilUs === undefined;
  const faultsWhen = mapRun ? 'in this run' : atNow ? 'now' : 'in this range';
  const windows = useFaultWindows(mapRun ? { fromUs: 0, toUs: Number.MAX_SAFE_INTEGER, executionIds: mapRun.executionIds } : { fromUs: sinceUs ?? 0, toUs: untilUs ?? Number.MAX_SAFE_INTEGER });
  const faults = useMemo(() => windowsOnMap(windows, atNow), [windows, atNow]);
  const noServices = graph !== null && graph.services.length === 0;
  // The empty map names the receiver's address, which storeStatus knows.
  useEffect(() => {
    if (noServices && !(api instanceof Error)) void checkStoreStatus(api);
  }, [api, noServices, checkStoreStatus]);

  // Fetch on open and again when spans arrive; bursts of spansAdded collapse into one more fetch.
  useEffect(() => {
    if (api instanceof Error) return;
    let alive = true;
    let running = false;
    let again = false;
    // The declared side is read once per run shown; the observed side on every refresh.
    let declared: Promise<{ testName: string; services: { name: string }[]; edges: { from: string; to: string }[] } | Problem> | undefined;
    if (mapRun) declared = api.testTopology({ path: mapRun.file }).catch((e: unknown) => toProblem(e));
    setGraph(null);
    setLayout(null);
    const refresh = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          const g = await api.serviceGraph(
            mapRun
              ? { executionIds: [...mapRun.executionIds] }
              : { ...(sinceUs !== undefined ? { sinceUs } : {}), ...(untilUs !== undefined ? { untilUs } : {}) },
          );
          const topology = declared ? await declared : undefined;
          const compared = topology !== undefined && !('code' in topology);
          const mapped = compared ? compareWithDeclared(g.services, g.edges, topology) : observedOnly(g.services, g.edges);
          const laid = await layoutServices(
            mapped.services.map((s) => s.name),
            mapped.edges,
            (e) => edgeText(e as MapEdge, compared),
          );
          if (!alive) return;
          setGraph(mapped);
          setLayout(laid);
          setProblem(null);
          setTestName(compared ? topology.testName : null);
          setDeclaredProblem(topology !== undefined && 'code' in topology ? topology : null);
        } while (again && alive);
      } catch (e) {
        if (alive) setProblem(toProblem(e));
      } finally {
        running = false;
      }
    };
    void refresh();
    const off = api.on('spansAdded', () => void refresh());
    return () => {
      alive = false;
      off();
    };
  }, [api, mapRun, sinceUs, untilUs]);

  const { nodes, edges } = useMemo(() => {
    if (!graph || !layout) return { nodes: [] as ServiceNode[], edges: [] as RoutedEdge[] };
    const compared = graph.differences !== undefined;
    const colors = assignServiceColors(graph.services.map((s) => s.name));
    const faultsOn = faultedServices(faults);
    const incoming = new Map<string, { calls: number; errors: number }>();
    for (const e of graph.edges) {
      const i = incoming.get(e.to) ?? { calls: 0, errors: 0 };
      incoming.set(e.to, { calls: i.calls + e.calls, errors: i.errors + e.errors });
    }
    const nodes: ServiceNode[] = graph.services.map(({ name, presence }) => {
      const c = colors.get(name);
      return {
        id: name,
        type: 'service',
        position: layout.nodes.get(name) ?? { x: 0, y: 0 },
        data: { name, presence, compared, color: (theme === 'dark' ? c?.dark : c?.light) ?? '#888', calls: incoming.get(name)?.calls ?? 0, errors: incoming.get(name)?.errors ?? 0, faults: faultsOn.get(name) ?? [], faultsWhen },
      };
    });
    const edges: RoutedEdge[] = graph.edges.map((e) => ({
      id: edgeKey(e.from, e.to),
      type: 'routed',
      source: e.from,
      target: e.to,
      data: { route: layout.edges.get(edgeKey(e.from, e.to)), text: edgeText(e, compared), summary: edgeSummary(e, compared), errors: e.errors },
      markerEnd: { type: MarkerType.ArrowClosed },
      className:
        (e.presence === 'declared' ? 'svc-edge svc-edge-missing' : compared && e.presence === 'observed' ? 'svc-edge svc-edge-undeclared' : e.errors > 0 ? 'svc-edge-error' : 'svc-edge') +
        (isFaultedEdge(faults, e.from, e.to) ? ' svc-edge-faulted' : ''),
    }));
    return { nodes, edges };
  }, [graph, layout, theme, faults, faultsWhen]);

  // A service that sent spans opens the traces list filtered to it (a declared-only one has none).
  const showTracesOf = (node: ServiceNode) => {
    if (node.data.presence === 'declared') return;
    setTracesQuery({ service: node.data.name });
    setView('traces');
  };

  if (api instanceof Error) return <ErrorState title="Not connected" problem={api.problem} />;
  if (problem) return <ErrorState title="The service map could not be built" problem={problem} />;
  if (!graph) return <Loading label="Building the service map…" />;
  if (graph.services.length === 0 && !mapRun && !ranged)
    return (
      <EmptyState title="No services yet">
        <p>
          The map fills in as spans arrive: load the demo from the Traces view, run a test, or send OTLP to <ReceiverAddress />.
        </p>
      </EmptyState>
    );
  const diff = graph.differences;
  const observedCount = graph.services.filter((s) => s.presence !== 'declared').length;
  return (
    <section className="service-map" aria-label="Service map">
      <header className="view-head">
        <h1 className="view-title">Service map</h1>
        <span className="muted">
          {mapRun ? `run ${mapRun.runId}${testName ? ` of ${testName}` : ''} · ` : ''}
          {observedCount} service{observedCount === 1 ? '' : 's'} · {graph.edges.filter((e) => e.presence !== 'declared').length} dependencies
        </span>
        {mapRun ? (
          <button className="btn btn-small" onClick={clearMapRun}>
            Show all services
          </button>
        ) : (
          <TimeRangeControl range={{ sinceUs, untilUs }} lookback={lookback} />
        )}
      </header>
      {ranged && graph.services.length === 0 && (
        <p className="svc-range-empty" role="status">
          No service sent spans in this time range ({describeRange({ sinceUs, untilUs }, lookback)}). Choose a longer one, or Clear range.
        </p>
      )}
      {declaredProblem && (
        <p className="svc-compare-problem" role="alert">
          The test file could not be read, so only what the run observed is shown: {declaredProblem.message}
        </p>
      )}
      {diff && (
        <div className="svc-compare" role="region" aria-label="Compared with the test file">
          {diff.silentServices.length + diff.undeclaredServices.length + diff.missingCalls.length + diff.undeclaredCalls.length === 0 ? (
            <p className="muted">Every declared service sent spans and every call matches the test file&apos;s dependencies.</p>
          ) : (
            <ul aria-label="Differences from the test file">
              {diff.silentServices.map((name) => (
                <li key={`s:${name}`}>
                  <strong>{name}</strong> is declared but sent no spans
                </li>
              ))}
              {diff.missingCalls.map((e) => (
                <li key={`m:${e.from}:${e.to}`}>
                  <strong>
                    {e.from} → {e.to}
                  </strong>{' '}
                  is declared (depends_on) but was never called
                </li>
              ))}
              {diff.undeclaredServices.map((name) => (
                <li key={`u:${name}`}>
                  <strong>{name}</strong> sent spans but is not declared in the test file
                </li>
              ))}
              {diff.undeclaredCalls.map((e) => (
                <li key={`c:${e.from}:${e.to}`}>
                  <strong>
                    {e.from} → {e.to}
                  </strong>{' '}
                  was called ({e.calls.toLocaleString()}×) but is not a declared dependency
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div
        className="service-map-canvas"
        onKeyDown={(e) => {
          if (e.key !== 'Enter') return;
          const name = (e.target as HTMLElement).closest('.react-flow__node')?.getAttribute('data-id');
          const node = nodes.find((n) => n.id === name);
          if (node) showTracesOf(node);
        }}
      >
        <LaidOutGraph nodes={nodes} edges={edges} nodeTypes={nodeTypes} theme={theme} onNodeClick={showTracesOf} />
      </div>
    </section>
  );
}
