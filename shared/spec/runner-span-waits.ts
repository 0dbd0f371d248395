// `wait_for_span = "clnrm.…"` on a service can never be satisfied before the scenarios run: `clnrm.*`
// spans come from clnrm itself — this runner (whose spans do not belong to the service) or a clnrm that
// a scenario runs inside the service once it is ready (clnrm's Rosetta Stone files do exactly that).
// Honoured literally such a wait only times out, and clnrm itself never calls its wait_for_span; so
// `validate` warns and the runner does not wait for it.

import type { Problem } from '../errors';
import type { Locator } from './locate';
import type { RawTestFile } from './schema/root';

/** True for span names only a clnrm process emits (`clnrm.run`, `clnrm.step:…`, …). */
export function isClnrmSpanName(name: string): boolean {
  return name.startsWith('clnrm.');
}

export function runnerSpanWaitWarnings(doc: Partial<Pick<RawTestFile, 'service' | 'services'>>, locator: Locator, file?: string): Problem[] {
  const out: Problem[] = [];
  for (const table of ['service', 'services'] as const) {
    for (const [id, svc] of Object.entries(doc[table] ?? {})) {
      const name = svc.wait_for_span;
      if (name === undefined || !isClnrmSpanName(name)) continue;
      const loc = locator.key([table, id, 'wait_for_span']);
      out.push({
        code: 'spec.wait-never',
        message:
          `service \`${id}\` waits for span "${name}", which only clnrm emits — here the clnrm a scenario runs in this service after it is ready — ` +
          'so the wait could only time out; it is not waited for (clnrm never honours wait_for_span either). Use health_check to gate readiness.',
        file,
        line: loc.line,
        column: loc.column,
        path: `${table}.${id}.wait_for_span`,
      });
    }
  }
  return out;
}
