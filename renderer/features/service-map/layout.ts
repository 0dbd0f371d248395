// Layered left-to-right layout of the service graph with elkjs (callers on the left).
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ServiceEdge } from '../../../shared/ipc/contract';

export const NODE_W = 180;
export const NODE_H = 56;

const elk = new ELK();

export async function layoutServices(services: readonly string[], edges: readonly ServiceEdge[]): Promise<Map<string, { x: number; y: number }>> {
  const graph = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '110',
      'elk.spacing.nodeNode': '40',
      'elk.edgeRouting': 'SPLINES',
    },
    children: services.map((id) => ({ id, width: NODE_W, height: NODE_H })),
    edges: edges.filter((e) => e.from !== e.to).map((e, k) => ({ id: `e${k}`, sources: [e.from], targets: [e.to] })),
  });
  const out = new Map<string, { x: number; y: number }>();
  for (const c of graph.children ?? []) out.set(c.id, { x: c.x ?? 0, y: c.y ?? 0 });
  return out;
}
