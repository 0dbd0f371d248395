// The command palette's jumps: what the typed text may name besides a command. A trace (by the
// ids the store found for a short id), a span name in the open trace, a service or an operation
// of the traces list, a test file of the open folder. Each is a command like the fixed ones.
import type { StudioApi } from '../../shared/ipc/contract';
import { getLoadedTrace } from '../features/waterfall/trace-holder';
import type { StudioStore } from './store';

export interface PaletteCommand {
  id: string;
  label: string;
  shortcut?: string;
  run(s: StudioStore): void;
}

const MAX_EACH = 5;

/** Text that could be the start of a trace id (the UI shows 8 characters). */
export const looksLikeTraceId = (query: string) => /^[0-9a-f]{4,32}$/i.test(query.trim());

function distinctMatching(values: readonly string[], needle: string): string[] {
  const out: string[] = [];
  for (const v of new Set(values)) {
    if (v.toLowerCase().includes(needle)) out.push(v);
    if (out.length >= MAX_EACH) break;
  }
  return out;
}

/** Scrolls to and focuses a test file's item once the Tests view has drawn it. */
function focusTestFile(name: string): void {
  requestAnimationFrame(() => {
    const item = [...document.querySelectorAll<HTMLElement>('.tests-item')].find((el) => el.getAttribute('aria-label') === name);
    item?.scrollIntoView({ block: 'nearest' });
    item?.querySelector<HTMLElement>('button')?.focus();
  });
}

export function paletteJumps(s: StudioStore, api: StudioApi | null, query: string, traceIds: readonly string[], commandMatched = false): PaletteCommand[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [];
  const jumps: PaletteCommand[] = [];
  if (api) for (const id of traceIds) jumps.push({ id: `trace:${id}`, label: `Open trace ${id}`, run: (st) => void st.openTrace(api, id) });
  const loaded = getLoadedTrace();
  if (loaded && s.traceLoad.status === 'ready') {
    // The first span of each matching name; stops early, traces can hold a million spans.
    const firstOf = new Map<string, number>();
    const spans = loaded.tree.spans;
    for (let i = 0; i < spans.length && firstOf.size < MAX_EACH; i++) {
      const name = spans[i]!.name;
      if (!firstOf.has(name) && name.toLowerCase().includes(needle)) firstOf.set(name, i);
    }
    for (const [name, index] of firstOf) jumps.push({ id: `span:${name}`, label: `Span in this trace: ${name}`, run: (st) => st.showSpan(index) });
  }
  for (const service of distinctMatching(s.traces.flatMap((t) => t.services), needle)) {
    jumps.push({ id: `service:${service}`, label: `Traces of service ${service}`, run: (st) => (st.setTracesQuery({ service }), st.setView('traces')) });
  }
  // The catch-all search only when nothing more precise matched: "reset zoom" is a command, not a search.
  if (!commandMatched && jumps.length === 0) {
    jumps.push({ id: 'operation', label: `Traces with an operation containing “${query.trim()}”`, run: (st) => (st.setTracesQuery({ spanName: query.trim() }), st.setView('traces')) });
  }
  for (const file of s.testFiles.filter((f) => f.name.toLowerCase().includes(needle)).slice(0, MAX_EACH)) {
    jumps.push({ id: `test:${file.path}`, label: `Test file ${file.name}`, run: (st) => (st.setView('tests'), focusTestFile(file.name)) });
    jumps.push({ id: `chaos:${file.path}`, label: `Chaos timeline of ${file.name}`, run: (st) => st.openChaos(file.path) });
  }
  return jumps;
}
