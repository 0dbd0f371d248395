// The open trace as a DAG of its operations: one node per (service, span name) with its span
// count, errors and time, an edge per parent → child operation with the number of calls, laid out
// left to right by ELK like the service map. A click on a node (or Enter on a focused one) goes
// back to the waterfall at that operation's earliest span.
import { memo, useEffect, useMemo, useState } from 'react';
import { Handle, MarkerType, Position } from '@xyflow/react';
import type { Node, NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { operationGraph, type OperationGraph } from '../../../shared/trace';
import { Loading } from '../../app/States';
import { useStudio } from '../../app/store';
import { edgeKey, layoutServices, nodeWidthFor, type ServiceLayout } from '../service-map/layout';
import { LaidOutGraph, type RoutedEdge } from '../service-map/RoutedEdge';
import { getLoadedTrace } from './trace-holder';
import { formatDuration } from './format';
import '../service-map/service-map.css';

type OpNodeData = { service: string; name: string; color: string; count: number; errors: number; totalUs: number; firstSpan: number; width: number };
type OpNode = Node<OpNodeData, 'operation'>;

const OperationNodeView = memo(function OperationNodeView({ data }: NodeProps<OpNode>) {
  return (
    <div className={'svc-node op-node' + (data.errors > 0 ? ' has-errors' : '')} style={{ borderColor: data.color, width: data.width }} title={`${data.service}: ${data.name}`}>
      <Handle type="target" position={Position.Left} />
      <span className="dot" style={{ background: data.color }} />
      <div className="op-text">
        <div className="svc-name op-name">{data.name}</div>
        <div className="svc-meta">
          {metaText(data)}
          {data.errors > 0 && <span className="wf-err-text">{errorsText(data.errors)}</span>}
        </div>
      </div>
      <Handle type="source" position={Position.Right} />
    </div>
  );
});
const nodeTypes = { operation: OperationNodeView };
/** Fitting a large graph never zooms out past this (11 px text stays ≥ 8 px); pan or zoom out by hand for the rest. */
const LEGIBLE_ZOOM = 0.75;

const errorsText = (errors: number) => (errors > 0 ? ` · ${errors} error${errors === 1 ? '' : 's'}` : '');
const metaText = (n: Pick<OpNodeData, 'service' | 'count' | 'totalUs'>) => `${n.service} · ${n.count.toLocaleString()}× · ${formatDuration(n.totalUs)}`;
/** Wide enough for the operation's name and its meta line (the layout gets the same width). */
// The name is 13 px bold, the meta line 11 px: measured each at its own width per character.
const opNodeWidth = (n: OperationGraph['nodes'][number]) => Math.max(nodeWidthFor([n.name]), nodeWidthFor([metaText(n) + errorsText(n.errors)], 6.2));

const callText = (calls: number, errors: number) => `${calls.toLocaleString()}×${errors > 0 ? ` · ${errors} error${errors === 1 ? '' : 's'}` : ''}`;

export function TraceGraph({ theme }: { theme: 'light' | 'dark' }) {
  useStudio((s) => s.traceVersion);
  const showSpan = useStudio((s) => s.showSpan);
  const trace = getLoadedTrace();
  const graph: OperationGraph | null = useMemo(() => (trace ? operationGraph(trace.tree) : null), [trace]);
  // React Flow and ELK get each operation's index as its id: operation keys hold a NUL and any text.
  const calls = useMemo(() => {
    if (!graph) return [];
    const index = new Map(graph.nodes.map((n, i) => [n.id, String(i)]));
    return graph.edges.map((e) => ({ ...e, from: index.get(e.from)!, to: index.get(e.to)!, p50Ms: 0, p99Ms: 0 }));
  }, [graph]);
  const [layout, setLayout] = useState<ServiceLayout | null>(null);
  useEffect(() => {
    if (!graph) return;
    let alive = true;
    setLayout(null);
    void layoutServices(
      graph.nodes.map((_, i) => String(i)),
      calls,
      (e) => callText(e.calls, e.errors),
      (id) => opNodeWidth(graph.nodes[Number(id)]!),
    ).then((laid) => alive && setLayout(laid));
    return () => {
      alive = false;
    };
  }, [graph, calls]);

  const { nodes, edges } = useMemo(() => {
    if (!graph || !layout || !trace) return { nodes: [] as OpNode[], edges: [] as RoutedEdge[] };
    const nodes: OpNode[] = graph.nodes.map((n, i) => {
      const c = trace.colors.get(n.service);
      return {
        id: String(i),
        type: 'operation',
        position: layout.nodes.get(String(i)) ?? { x: 0, y: 0 },
        ariaLabel: `${n.service}: ${n.name}, ${n.count} span${n.count === 1 ? '' : 's'}${n.errors > 0 ? `, ${n.errors} with errors` : ''}`,
        data: { service: n.service, name: n.name, count: n.count, errors: n.errors, totalUs: n.totalUs, firstSpan: n.firstSpan, width: opNodeWidth(n), color: (theme === 'dark' ? c?.dark : c?.light) ?? '#888' },
      };
    });
    const edges: RoutedEdge[] = calls.map((e) => ({
      id: edgeKey(e.from, e.to),
      type: 'routed',
      source: e.from,
      target: e.to,
      data: { route: layout.edges.get(edgeKey(e.from, e.to)), text: callText(e.calls, e.errors), summary: `${callText(e.calls, e.errors)} calls`, errors: e.errors },
      markerEnd: { type: MarkerType.ArrowClosed },
      className: e.errors > 0 ? 'svc-edge-error' : 'svc-edge',
    }));
    return { nodes, edges };
  }, [graph, calls, layout, trace, theme]);

  if (!trace || !graph) return null;
  if (!layout) return <Loading label="Laying out the trace's operations…" />;
  return (
    <div className="trace-graph" role="region" aria-label="Operations graph">
      <p className="trace-graph-note muted">
        {graph.operations.toLocaleString()} operation{graph.operations === 1 ? '' : 's'} (service and span name) in {trace.tree.size.toLocaleString()} span
        {trace.tree.size === 1 ? '' : 's'}
        {graph.nodes.length < graph.operations && ` — showing the ${graph.nodes.length} with the most spans`}. Click an operation to see its first span in the
        waterfall.
      </p>
      <div
        className="trace-graph-canvas"
        onKeyDown={(e) => {
          if (e.key !== 'Enter') return;
          const id = (e.target as HTMLElement).closest('.react-flow__node')?.getAttribute('data-id');
          const node = id == null ? undefined : graph.nodes[Number(id)];
          if (node) showSpan(node.firstSpan);
        }}
      >
        <LaidOutGraph nodes={nodes} edges={edges} nodeTypes={nodeTypes} theme={theme} fitMinZoom={LEGIBLE_ZOOM} onNodeClick={(node) => showSpan(node.data.firstSpan)} />
      </div>
    </div>
  );
}
