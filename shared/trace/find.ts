// Find-in-trace: which spans match what the user typed in the waterfall's find box.
// Query forms (case-insensitive):
//   text          substring of the span name, service name, span id, or any attribute key or value
//   key=value     an attribute (span or resource) whose key is `key` and whose value contains `value`
//   key=          an attribute whose key is `key` (any value)
// Matches come back in row order (depth-first), so "next match" walks down the waterfall.
import { toText } from '../model';
import type { KeyValue } from '../model';
import type { TraceTree } from './tree';

export interface FindQuery {
  readonly text?: string;
  readonly key?: string;
  readonly value?: string;
}

export function parseFindQuery(input: string): FindQuery | undefined {
  const q = input.trim();
  if (q === '') return undefined;
  const eq = q.indexOf('=');
  if (eq > 0) return { key: q.slice(0, eq).trim(), value: q.slice(eq + 1).trim().toLowerCase() };
  return { text: q.toLowerCase() };
}

function attributeMatches(attributes: readonly KeyValue[], query: FindQuery): boolean {
  for (let a = 0; a < attributes.length; a++) {
    const kv = attributes[a]!;
    if (query.key !== undefined) {
      if (kv.key !== query.key) continue;
      if (!query.value || toText(kv.value).toLowerCase().includes(query.value)) return true;
    } else if (kv.key.toLowerCase().includes(query.text!) || toText(kv.value).toLowerCase().includes(query.text!)) {
      return true;
    }
  }
  return false;
}

/** Span indices matching the query, in depth-first (row) order. */
export function findInTrace(tree: TraceTree, input: string): Int32Array {
  const query = parseFindQuery(input);
  if (!query) return new Int32Array(0);
  const hits: number[] = [];
  const resourceHit = new Map<object, boolean>();
  for (let k = 0; k < tree.size; k++) {
    const i = tree.preorder[k]!;
    const s = tree.spans[i]!;
    let hit = false;
    if (query.text !== undefined) {
      hit =
        s.name.toLowerCase().includes(query.text) ||
        s.serviceName.toLowerCase().includes(query.text) ||
        s.spanId.includes(query.text) ||
        attributeMatches(s.attributes, query);
    } else {
      hit = attributeMatches(s.attributes, query);
    }
    if (!hit) {
      // Resources are shared between spans; test each one once.
      let r = resourceHit.get(s.resource);
      if (r === undefined) {
        r = attributeMatches(s.resource.attributes, query);
        resourceHit.set(s.resource, r);
      }
      hit = r;
    }
    if (hit) hits.push(i);
  }
  return Int32Array.from(hits);
}
