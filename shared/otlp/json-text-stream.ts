// Large JSON documents as a sequence of text pieces instead of one string: the same bytes as
// JSON.stringify(value, null, 2), produced span by span from pages of spans (an array, or pages
// read from the store as they are needed), so a 100k-span trace can be written out (with
// backpressure) without holding the whole document, nor all its spans.
import type { InstrumentationScope, Resource, Span } from '../model';
import { groupSpans } from './group';
import { encodeResource, encodeScope, encodeSpan } from './json-encode';

/** JSON.stringify(value, null, 2) as it reads nested `depth` levels deep in a 2-space document. */
function nested(value: unknown, depth: number): string {
  // Raw newlines only occur between tokens: JSON escapes them inside strings.
  return JSON.stringify(value, null, 2).replace(/\n/g, '\n' + '  '.repeat(depth));
}

type Pages<T> = AsyncIterable<readonly T[]> | Iterable<readonly T[]>;

/** Spans grouped as in an OTLP request: a resource, its scopes, and each scope's spans in pages. */
export interface SpanGroup {
  resource: Resource;
  scopes: Array<{ scope: InstrumentationScope; pages: Pages<Span> }>;
}

/** groupSpans' groups, each scope's spans as one page. */
export function spanGroups(spans: readonly Span[]): SpanGroup[] {
  return groupSpans(spans).map((g) => ({ resource: g.resource, scopes: g.scopes.map((s) => ({ scope: s.scope, pages: [s.spans] })) }));
}

/** Each item with whether another follows it (one item read ahead). */
async function* withLast<T>(pages: Pages<T>): AsyncGenerator<[item: T, last: boolean]> {
  let held: { item: T } | undefined;
  for await (const page of pages) {
    for (const item of page) {
      if (held) yield [held.item, false];
      held = { item };
    }
  }
  if (held) yield [held.item, true];
}

/** Lines of JSON.stringify(items, null, 2) for the items of all pages, each without its newline. */
export async function* prettyJsonArrayLines(pages: Pages<unknown>): AsyncGenerator<string> {
  let any = false;
  for await (const [item, last] of withLast(pages)) {
    if (!any) yield '[';
    any = true;
    yield `  ${nested(item, 1)}${last ? '' : ','}`;
  }
  yield any ? ']' : '[]';
}

/** Lines of JSON.stringify(encodeOtlpJson(spans), null, 2) for the spans of `groups`, each without its newline. */
export async function* prettyOtlpJsonLines(groups: readonly SpanGroup[]): AsyncGenerator<string> {
  if (groups.length === 0) {
    yield '{\n  "resourceSpans": []\n}';
    return;
  }
  yield '{';
  yield '  "resourceSpans": [';
  for (let g = 0; g < groups.length; g++) {
    const { resource, scopes } = groups[g]!;
    yield '    {';
    yield `      "resource": ${nested(encodeResource(resource), 3)},`;
    yield '      "scopeSpans": [';
    for (let s = 0; s < scopes.length; s++) {
      const { scope, pages } = scopes[s]!;
      yield '        {';
      yield `          "scope": ${nested(encodeScope(scope), 5)},`;
      yield '          "spans": [';
      for await (const [span, last] of withLast(pages)) yield `            ${nested(encodeSpan(span), 6)}${last ? '' : ','}`;
      yield `          ]${scope.schemaUrl ? ',' : ''}`;
      if (scope.schemaUrl) yield `          "schemaUrl": ${JSON.stringify(scope.schemaUrl)}`;
      yield `        }${s < scopes.length - 1 ? ',' : ''}`;
    }
    yield `      ]${resource.schemaUrl ? ',' : ''}`;
    if (resource.schemaUrl) yield `      "schemaUrl": ${JSON.stringify(resource.schemaUrl)}`;
    yield `    }${g < groups.length - 1 ? ',' : ''}`;
  }
  yield '  ]';
  yield '}';
}
