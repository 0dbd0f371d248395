// Two clnrm processes can trace one scenario: this runner and a clnrm the scenario runs (clnrm's Rosetta
// Stone files run `clnrm self-test … --otel-exporter stdout|otlp` in a container and judge its spans).
// When an execution's own spans come from such an inner clnrm, its expectations judge those spans alone
// — clnrm's reading: `clnrm.run` there means the inner run — and the runner's own spans stay apart
// (stored under the runner's run id) as evidence. See shared/expect/SEMANTICS.md.
import type { Span } from '../../shared/model';
import type { TestFile } from '../../shared/spec';

/** True when some span is an inner clnrm's own (`service.name = clnrm`, named `clnrm.…`). */
export function fromInnerClnrm(spans: readonly Span[]): boolean {
  return spans.some((s) => s.name.startsWith('clnrm.') && s.resource.attributes.some((a) => a.key === 'service.name' && 'stringValue' in a.value && a.value.stringValue === 'clnrm'));
}

/** The file's `[otel] resources` before `existing` OTEL_RESOURCE_ATTRIBUTES pairs (later pairs win). */
export function withFileResources(test: TestFile, existing: string | undefined): string | undefined {
  const pairs = Object.entries(test.otel?.resources ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  if (existing) pairs.push(existing);
  return pairs.length > 0 ? pairs.join(',') : undefined;
}
