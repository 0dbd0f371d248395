// What the service map and the per-trace operations graph share: edges drawn along ELK's route (see
// layout.ts) instead of React Flow's own curve, with their labels where ELK put them, and the
// read-only, fitted React Flow canvas around them.
import { memo } from 'react';
import { Background, BaseEdge, Controls, EdgeLabelRenderer, ReactFlow } from '@xyflow/react';
import type { Edge, EdgeProps, Node, NodeTypes } from '@xyflow/react';
import type { EdgeRoute } from './layout';

export type RoutedEdgeData = { route: EdgeRoute | undefined; text: string; summary: string; errors: number };
export type RoutedEdge = Edge<RoutedEdgeData, 'routed'>;

export const RoutedEdgeView = memo(function RoutedEdgeView({ id, data, markerEnd, sourceX, sourceY, targetX, targetY }: EdgeProps<RoutedEdge>) {
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

const FIT_PADDING = 0.15;
const FIT_MAX_ZOOM = 1.25;
/** React Flow stops at 0.5 by default, too close to fit a dozen services on a laptop screen. */
const MIN_ZOOM = 0.1;

/** Defined once, outside render, as React Flow asks. */
export const routedEdgeTypes = { routed: RoutedEdgeView };

/**
 * A laid-out graph as both graph views show it: fitted, zoomable, read-only. Nodes stay where the
 * layout put them, since the edges follow the computed routes.
 */
export function LaidOutGraph<N extends Node>({
  nodes,
  edges,
  nodeTypes,
  theme,
  onNodeClick,
  fitMinZoom = MIN_ZOOM,
}: {
  nodes: N[];
  edges: RoutedEdge[];
  nodeTypes: NodeTypes;
  theme: 'light' | 'dark';
  onNodeClick?: (node: N) => void;
  /** How far fitting the view may zoom out (by hand the user can go down to MIN_ZOOM). */
  fitMinZoom?: number;
}) {
  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      edgeTypes={routedEdgeTypes}
      fitView
      fitViewOptions={{ padding: FIT_PADDING, maxZoom: FIT_MAX_ZOOM, minZoom: fitMinZoom }}
      minZoom={MIN_ZOOM}
      colorMode={theme}
      nodesConnectable={false}
      nodesDraggable={false}
      {...(onNodeClick ? { onNodeClick: (_: unknown, node: N) => onNodeClick(node) } : {})}
      proOptions={{ hideAttribution: true }}
    >
      <Background />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}
