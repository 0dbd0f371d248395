// Service map: which service calls which, with call counts, error counts and latency
// percentiles on the edges, laid out left to right (callers first).
import { memo, useEffect, useMemo, useState } from 'react';
import { Background, Controls, Handle, MarkerType, Position, ReactFlow } from '@xyflow/react';
import type { Edge, Node, NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useApi } from '../../api/api-context';
import { EmptyState, ErrorState, Loading } from '../../app/States';
import { assignServiceColors } from '../../../shared/trace';
import type { ServiceEdge } from '../../../shared/ipc/contract';
import { toProblem } from '../../../shared/errors';
import type { Problem } from '../../../shared/errors';
import { layoutServices } from './layout';
import './service-map.css';

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

const ms = (v: number) => (v >= 100 ? `${v.toFixed(0)} ms` : v >= 10 ? `${v.toFixed(1)} ms` : `${v.toFixed(2)} ms`);

type Graph = { services: string[]; edges: ServiceEdge[] };

export function ServiceMapView({ theme }: { theme: 'light' | 'dark' }) {
  const api = useApi();
  const [graph, setGraph] = useState<Graph | null>(null);
  const [positions, setPositions] = useState<Map<string, { x: number; y: number }> | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    if (api instanceof Error) return;
    let alive = true;
    api
      .serviceGraph({})
      .then(async (g) => {
        const pos = await layoutServices(g.services, g.edges);
        if (alive) {
          setGraph(g);
          setPositions(pos);
        }
      })
      .catch((e: unknown) => alive && setProblem(toProblem(e)));
    return () => {
      alive = false;
    };
  }, [api]);

  const { nodes, edges } = useMemo(() => {
    if (!graph || !positions) return { nodes: [] as ServiceNode[], edges: [] as Edge[] };
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
        position: positions.get(name) ?? { x: 0, y: 0 },
        data: { name, color: (theme === 'dark' ? c?.dark : c?.light) ?? '#888', calls: incoming.get(name)?.calls ?? 0, errors: incoming.get(name)?.errors ?? 0 },
      };
    });
    const edges: Edge[] = graph.edges.map((e) => ({
      id: `${e.from}->${e.to}`,
      source: e.from,
      target: e.to,
      label: `${e.calls.toLocaleString()}× · p50 ${ms(e.p50Ms)} · p99 ${ms(e.p99Ms)}`,
      labelBgPadding: [4, 2] as [number, number],
      labelBgBorderRadius: 4,
      markerEnd: { type: MarkerType.ArrowClosed },
      className: e.errors > 0 ? 'svc-edge-error' : 'svc-edge',
      animated: e.errors > 0,
    }));
    return { nodes, edges };
  }, [graph, positions, theme]);

  if (api instanceof Error) return <ErrorState title="Not connected" problem={api.problem} />;
  if (problem) return <ErrorState title="The service map could not be built" problem={problem} />;
  if (!graph) return <Loading label="Building the service map…" />;
  if (graph.services.length === 0)
    return (
      <EmptyState title="No services yet">
        <p>The map fills in as spans arrive: run a test or send OTLP to <code>http://127.0.0.1:4318</code>.</p>
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
        <ReactFlow nodes={nodes} edges={edges} nodeTypes={nodeTypes} fitView colorMode={theme} nodesConnectable={false} proOptions={{ hideAttribution: true }}>
          <Background />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
    </section>
  );
}
