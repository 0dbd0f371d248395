// Groups spans back into OTLP's resource → scope → spans nesting. Grouping is by object identity
// (decoders share one Resource / InstrumentationScope object per group), in first-seen order.
import type { InstrumentationScope, Resource, Span } from '../model';

export interface ScopeGroup {
  scope: InstrumentationScope;
  spans: Span[];
}
export interface ResourceGroup {
  resource: Resource;
  scopes: ScopeGroup[];
}

export function groupSpans(spans: readonly Span[]): ResourceGroup[] {
  const groups: ResourceGroup[] = [];
  const byResource = new Map<Resource, { group: ResourceGroup; byScope: Map<InstrumentationScope, ScopeGroup> }>();
  for (const span of spans) {
    let entry = byResource.get(span.resource);
    if (entry === undefined) {
      entry = { group: { resource: span.resource, scopes: [] }, byScope: new Map() };
      byResource.set(span.resource, entry);
      groups.push(entry.group);
    }
    let scopeGroup = entry.byScope.get(span.scope);
    if (scopeGroup === undefined) {
      scopeGroup = { scope: span.scope, spans: [] };
      entry.byScope.set(span.scope, scopeGroup);
      entry.group.scopes.push(scopeGroup);
    }
    scopeGroup.spans.push(span);
  }
  return groups;
}
