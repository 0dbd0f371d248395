// An edge drawn along ELK's route (see layout.ts) instead of React Flow's own curve, with its label
// where ELK put it: the service map and the per-trace operations graph both draw their edges so.
import { memo } from 'react';
import { BaseEdge, EdgeLabelRenderer } from '@xyflow/react';
import type { Edge, EdgeProps } from '@xyflow/react';
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

/** Defined once, outside render, as React Flow asks. */
export const routedEdgeTypes = { routed: RoutedEdgeView };
