// Service map: which service calls which, with call counts, error counts and latency
// percentiles on the edges, laid out left to right (callers first).
import { memo, useEffect, useMemo, useState } from 'react';
import { Background, BaseEdge, Controls, EdgeLabelRenderer, Handle, MarkerType, Position, ReactFlow } from '@xyflow/react';
import type { Edge, EdgeProps, Node, NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useApi } from '../../api/api-context';
import { EmptyState, ErrorState, Loading } from '../../app/States';
import { assignServiceColors } from '../../../shared/trace';
import type { ServiceEdge } from '../../../shared/ipc/contract';
import { toProblem } from '../../../shared/errors';
import type { Problem } from '../../../shared/errors';
import { ReceiverAddress } from '../../app/ReceiverHint';
import { useStudio } from '../../app/store';
import { edgeKey, layoutServices, type EdgeRoute, type ServiceLayout } from './layout';
import './service-map.css';

const ms = (v: number) => (v >= 100 ? `${v.toFixed(0)} ms` : v >= 10 ? `${v.toFixed(1)} ms` : `${v.toFixed(2)} ms`);

type ServiceNodeData = { name: string; color: string; calls: number; errors: number };
type ServiceNode = Node<ServiceNodeData, 'service'>;

// Defined outside render and memoized, as React Flow asks.
const ServiceNodeView = memo(function ServiceNodeView({ data }: NodeProps<ServiceNode>) {
  return (
    <div className="svc-node" style={{ borderColor: data.color }}>
      <Handle type="target" position={Position.Left} />
      <span className="dot" style={{ background: data.color }} />
      <div>
        <div className="svc-name">{data.name}</div>
        <div className="svc-meta">
          {data.calls > 0 ? `${data.calls.toLocaleString()} calls in` : 'entry point'}
          {data.errors > 0 && <span className="wf-err-text"> · {data.errors} error{data.errors === 1 ? '' : 's'}</span>}
        </div>
      </div>
      <Handle type="source" position={Position.Right} />
    </div>
  );
});
const nodeTypes = { service: ServiceNodeView };

type RoutedEdgeData = { route: EdgeRoute | undefined; text: string; summary: string; errors: number };
type RoutedEdge = Edge<RoutedEdgeData, 'routed'>;

// Draws ELK's route (see layout.ts) instead of React Flow's own curve, and the label where ELK put it.
const RoutedEdgeView = memo(function RoutedEdgeView({ id, data, markerEnd, sourceX, sourceY, targetX, targetY }: EdgeProps<RoutedEdge>) {
  const points = data?.route?.points ?? [
    { x: sourceX, y: sourceY },
    { x: targetX, y: targetY },
  ];
  const path = points.map((p, k) => `${k === 0 ? 'M' : 'L'} ${p.x} ${p.y}`).join(' ');
  const label = data?.route?.label;
  return (
    <>
      {/* One-line summary: the hover tooltip, and the edge's text for assistive tech (the label is portaled out). */}
      {data && <title>{data.summary}</title>}
      <BaseEdge id={id} path={path} {...(markerEnd ? { markerEnd } : {})} />
      {label && data && (
        <EdgeLabelRenderer>
          <div className={'svc-edge-label' + (data.errors > 0 ? ' is-error' : '')} style={{ transform: `translate(${label.x}px, ${label.y}px)` }}>
            {data.text}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});
const edgeTypes = { routed: RoutedEdgeView };

const edgeSummary = (e: ServiceEdge) =>
  `${e.calls.toLocaleString()}× · p50 ${ms(e.p50Ms)} · p99 ${ms(e.p99Ms)}${e.errors > 0 ? ` · ${e.errors} error${e.errors === 1 ? '' : 's'}` : ''}`;
const edgeText = (e: ServiceEdge) =>
  `${e.calls.toLocaleString()} call${e.calls === 1 ? '' : 's'}${e.errors > 0 ? ` · ${e.errors} error${e.errors === 1 ? '' : 's'}` : ''}\np50 ${ms(e.p50Ms)} · p99 ${ms(e.p99Ms)}`;


type Graph = { services: string[]; edges: ServiceEdge[] };

export function ServiceMapView({ theme }: { theme: 'light' | 'dark' }) {
  const api = useApi();
  const [graph, setGraph] = useState<Graph | null>(null);
  const [layout, setLayout] = useState<ServiceLayout | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const checkStoreStatus = useStudio((s) => s.checkStoreStatus);
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
    const refresh = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          const g = await api.serviceGraph({});
          const laid = await layoutServices(g.services, g.edges, edgeText);
          if (!alive) return;
          setGraph(g);
          setLayout(laid);
          setProblem(null);
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
  }, [api]);

  const { nodes, edges } = useMemo(() => {
    if (!graph || !layout) return { nodes: [] as ServiceNode[], edges: [] as RoutedEdge[] };
    const colors = assignServiceColors(graph.services);
    const incoming = new Map<string, { calls: number; errors: number }>();
    for (const e of graph.edges) {
      const i = incoming.get(e.to) ?? { calls: 0, errors: 0 };
      incoming.set(e.to, { calls: i.calls + e.calls, errors: i.errors + e.errors });
    }
    const nodes: ServiceNode[] = graph.services.map((name) => {
      const c = colors.get(name);
      return {
        id: name,
        type: 'service',
        position: layout.nodes.get(name) ?? { x: 0, y: 0 },
        data: { name, color: (theme === 'dark' ? c?.dark : c?.light) ?? '#888', calls: incoming.get(name)?.calls ?? 0, errors: incoming.get(name)?.errors ?? 0 },
      };
    });
    const edges: RoutedEdge[] = graph.edges.map((e) => ({
      id: edgeKey(e.from, e.to),
      type: 'routed',
      source: e.from,
      target: e.to,
      data: { route: layout.edges.get(edgeKey(e.from, e.to)), text: edgeText(e), summary: edgeSummary(e), errors: e.errors },
      markerEnd: { type: MarkerType.ArrowClosed },
      className: e.errors > 0 ? 'svc-edge-error' : 'svc-edge',
    }));
    return { nodes, edges };
  }, [graph, layout, theme]);

  if (api instanceof Error) return <ErrorState title="Not connected" problem={api.problem} />;
  if (problem) return <ErrorState title="The service map could not be built" problem={problem} />;
  if (!graph) return <Loading label="Building the service map…" />;
  if (graph.services.length === 0)
    return (
      <EmptyState title="No services yet">
        <p>
          The map fills in as spans arrive: load the demo from the Traces view, run a test, or send OTLP to <ReceiverAddress />.
        </p>
      </EmptyState>
    );
  return (
    <section className="service-map" aria-label="Service map">
      <header className="view-head">
        <h1 className="view-title">Service map</h1>
        <span className="muted">
          {graph.services.length} services · {graph.edges.length} dependencies
        </span>
      </header>
      <div className="service-map-canvas">
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          fitView
          fitViewOptions={{ padding: 0.15, maxZoom: 1.25 }}
          colorMode={theme}
          nodesConnectable={false}
          // Edges follow the computed routes, so nodes stay where the layout put them.
          nodesDraggable={false}
          proOptions={{ hideAttribution: true }}
        >
          <Background />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
    </section>
  );
}
