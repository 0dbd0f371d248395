// Large JSON documents as a sequence of text pieces instead of one string: the same bytes as
// JSON.stringify(value, null, 2), produced span by span, so a 100k-span trace can be written out
// (with backpressure) without holding the whole document.
import type { Span } from '../model';
import { groupSpans } from './group';
import { encodeResource, encodeScope, encodeSpan } from './json-encode';

/** JSON.stringify(value, null, 2) as it reads nested `depth` levels deep in a 2-space document. */
function nested(value: unknown, depth: number): string {
  // Raw newlines only occur between tokens: JSON escapes them inside strings.
  return JSON.stringify(value, null, 2).replace(/\n/g, '\n' + '  '.repeat(depth));
}

/** Lines of JSON.stringify(items, null, 2), each without its newline. */
export function* prettyJsonArrayLines(items: readonly unknown[]): Generator<string> {
  if (items.length === 0) {
    yield '[]';
    return;
  }
  yield '[';
  for (let i = 0; i < items.length; i++) yield `  ${nested(items[i], 1)}${i < items.length - 1 ? ',' : ''}`;
  yield ']';
}

/** Lines of JSON.stringify(encodeOtlpJson(spans), null, 2), each without its newline. */
export function* prettyOtlpJsonLines(spans: readonly Span[]): Generator<string> {
  const groups = groupSpans(spans);
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
      const { scope, spans: list } = scopes[s]!;
      yield '        {';
      yield `          "scope": ${nested(encodeScope(scope), 5)},`;
      yield '          "spans": [';
      for (let i = 0; i < list.length; i++) yield `            ${nested(encodeSpan(list[i]!), 6)}${i < list.length - 1 ? ',' : ''}`;
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
