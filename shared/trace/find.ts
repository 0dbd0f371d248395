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

/**
 * Names, services, keys and values repeat across spans (a few hundred distinct strings in a
 * million spans), so each distinct string is lower-cased and tested once per query.
 */
class Contains {
  private readonly seen = new Map<string, boolean>();
  constructor(private readonly needle: string) {}
  test(s: string): boolean {
    let r = this.seen.get(s);
    if (r === undefined) {
      r = s.toLowerCase().includes(this.needle);
      if (this.seen.size < 200_000) this.seen.set(s, r);
    }
    return r;
  }
}

function attributeMatches(attributes: readonly KeyValue[], query: FindQuery, contains: Contains): boolean {
  for (let a = 0; a < attributes.length; a++) {
    const kv = attributes[a]!;
    if (query.key !== undefined) {
      if (kv.key !== query.key) continue;
      if (!query.value || contains.test(toText(kv.value))) return true;
    } else if (contains.test(kv.key) || contains.test(toText(kv.value))) {
      return true;
    }
  }
  return false;
}

/** Span indices matching the query, in depth-first (row) order. */
export function findInTrace(tree: TraceTree, input: string): Int32Array {
  const query = parseFindQuery(input);
  if (!query) return new Int32Array(0);
  const contains = new Contains(query.text ?? query.value ?? '');
  const hits: number[] = [];
  // Attribute lists and resources are often shared between spans; test each object once.
  const listHit = new Map<object, boolean>();
  const listMatches = (list: readonly KeyValue[]) => {
    let r = listHit.get(list);
    if (r === undefined) {
      r = attributeMatches(list, query, contains);
      listHit.set(list, r);
    }
    return r;
  };
  for (let k = 0; k < tree.size; k++) {
    const i = tree.preorder[k]!;
    const s = tree.spans[i]!;
    let hit = false;
    if (query.text !== undefined) hit = contains.test(s.name) || contains.test(s.serviceName) || s.spanId.includes(query.text);
    if (!hit) hit = listMatches(s.attributes) || listMatches(s.resource.attributes);
    if (hit) hits.push(i);
  }
  return Int32Array.from(hits);
}
