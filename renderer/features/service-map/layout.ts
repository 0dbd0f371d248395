// Layered left-to-right layout of the service graph with elkjs (callers on the left). ELK also
// routes the edges (orthogonal, around nodes) and places their labels where they overlap nothing;
// the map draws exactly those routes, so an edge that skips a layer never runs under a node.
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge } from 'elkjs/lib/elk-api';
import type { ServiceEdge } from '../../../shared/ipc/contract';

export const NODE_W = 180;
export const NODE_H = 56;
/** Edge label metrics (11px UI font, lines split at '\n'): an estimate is enough for ELK to keep labels apart. */
const LABEL_CHAR_W = 6.4;
const LABEL_LINE_H = 14;

export interface Point {
  x: number;
  y: number;
}
export interface EdgeRoute {
  points: Point[];
  /** Top-left corner of the label box. */
  label?: Point;
}
export interface ServiceLayout {
  nodes: Map<string, Point>;
  /** Keyed by edgeKey(from, to). */
  edges: Map<string, EdgeRoute>;
}

export const edgeKey = (from: string, to: string) => `${from}->${to}`;

const elk = new ELK();

/** Room for a node's text: its longest line at the node font's width, plus the dot and padding. */
export function nodeWidthFor(lines: readonly string[], charWidth = 7.6): number {
  const longest = Math.max(0, ...lines.map((l) => l.length));
  return Math.min(MAX_NODE_W, Math.max(NODE_W, Math.ceil(longest * charWidth) + 56));
}
/** Past this a node's name wraps (its title shows it whole) rather than stretching the graph. */
export const MAX_NODE_W = 420;

export async function layoutServices(
  services: readonly string[],
  edges: readonly ServiceEdge[],
  labelOf: (e: ServiceEdge) => string,
  widthOf: (id: string) => number = () => NODE_W,
): Promise<ServiceLayout> {
  const drawn = edges.filter((e) => e.from !== e.to);
  const graph = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      // Room between layers for the edge labels, and between nodes so a dozen services stay readable.
      'elk.layered.spacing.nodeNodeBetweenLayers': '70',
      'elk.spacing.nodeNode': '48',
      'elk.spacing.edgeLabel': '4',
      'elk.layered.spacing.edgeNodeBetweenLayers': '20',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.edgeLabels.inline': 'false',
    },
    children: services.map((id) => ({ id, width: widthOf(id), height: NODE_H })),
    edges: drawn.map((e) => {
      const text = labelOf(e);
      const lines = text.split('\n');
      const width = Math.max(...lines.map((l) => l.length)) * LABEL_CHAR_W + 12;
      return { id: edgeKey(e.from, e.to), sources: [e.from], targets: [e.to], labels: [{ text, width, height: lines.length * LABEL_LINE_H + 4 }] };
    }),
  });
  const nodes = new Map<string, Point>();
  for (const c of graph.children ?? []) nodes.set(c.id, { x: c.x ?? 0, y: c.y ?? 0 });
  const routes = new Map<string, EdgeRoute>();
  for (const e of (graph.edges ?? []) as ElkExtendedEdge[]) {
    const section = e.sections?.[0];
    if (!section) continue;
    const points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map((p) => ({ x: p.x, y: p.y }));
    const l = e.labels?.[0];
    routes.set(e.id, { points, ...(l && l.x !== undefined && l.y !== undefined ? { label: { x: l.x, y: l.y } } : {}) });
  }
  return { nodes, edges: routes };
}
