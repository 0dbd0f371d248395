// A test file's `[otel] resources` reach its containers: they go first in the OTEL_RESOURCE_ATTRIBUTES
// of every service and step (the service's own pairs, then the runner's tags, win over them), so an
// SDK or an inner `clnrm self-test` in the container reports them, as clnrm's `[otel]` means.
import type { TestFile } from '../../shared/spec';

/** The file's `[otel] resources` before `existing` OTEL_RESOURCE_ATTRIBUTES pairs (later pairs win). */
export function withFileResources(test: TestFile, existing: string | undefined): string | undefined {
  const pairs = Object.entries(test.otel?.resources ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  if (existing) pairs.push(existing);
  return pairs.length > 0 ? pairs.join(',') : undefined;
}
