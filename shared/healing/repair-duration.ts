// The duration-bound repair: a `[[expect.span]]` `duration_ms.max` that failed, in a test whose history
// shows the span routinely near or over that bound (a flaky bound, not a one-off regression), is widened
// to the observed distribution: p99 of the span's durations in recent executions × a margin. Only for
// failures classified as flaky or timing; a steady assertion failure is the system's, not the bound's. Pure.
import { percentiles } from '../perf/stats';
import { setKey } from '../spec/writer';
import { edited, table, tables, type Repair, type RepairInput, type TomlTable } from './repair-kit';

const DURATION_CLASSES: ReadonlySet<string> = new Set(['flaky_test', 'timing_sensitivity']);
/** Head-room over the observed p99. */
export const DURATION_MARGIN = 1.2;
/** A duration at or above this share of the bound is "near" it. */
export const NEAR_BOUND = 0.8;
/** Fewer executions than this are no distribution. */
export const MIN_EXECUTIONS = 3;
/** Near or over the bound in at least this share of executions (and twice): routine, not a one-off. */
export const ROUTINE_SHARE = 0.25;

/** Rounded up to two significant digits, in whole milliseconds (1234.5 → 1300, 87.2 → 88). */
export function roundUpBound(ms: number): number {
  const step = Math.max(1, 10 ** (Math.floor(Math.log10(Math.max(ms, 1))) - 1));
  return Math.ceil(ms / step) * step;
}

const fmt = (ms: number): string => `${Math.round(ms * 10) / 10} ms`;

interface Bound {
  readonly expectation: string;
  readonly path: string;
  readonly name: string;
  readonly max: number;
}

/** The failed `expect.span[i]` rules that bound `duration_ms.max`. */
function failedBounds(input: RepairInput, parsed: TomlTable): Bound[] {
  const rules = tables(table(parsed, 'expect') ?? {}, 'span');
  const out: Bound[] = [];
  for (const expectation of input.failedExpectations ?? []) {
    const m = /^expect\.span\[(\d+)\]$/.exec(expectation);
    const rule = m ? rules[Number(m[1])] : undefined;
    const max = table(rule?.value, 'duration_ms')?.max;
    if (rule && typeof max === 'number' && typeof rule.value.name === 'string') out.push({ expectation, path: `expect.${rule.path}`, name: rule.value.name, max });
  }
  return out;
}

export function widenDurationBounds(input: RepairInput, parsed: TomlTable): Repair[] {
  if (!DURATION_CLASSES.has(input.classification.class)) return [];
  const out: Repair[] = [];
  for (const bound of failedBounds(input, parsed)) {
    const runs = (input.observedDurations?.find((o) => o.expectation === bound.expectation)?.executions ?? []).filter((e) => e.length > 0);
    if (runs.length < MIN_EXECUTIONS) continue;
    // The rule passes when one span is within the bound, so each execution counts by its shortest span.
    const shortest = runs.map((e) => Math.min(...e));
    const near = shortest.filter((ms) => ms >= NEAR_BOUND * bound.max).length;
    if (near < 2 || near / runs.length < ROUTINE_SHARE) continue;
    const all = runs.flat();
    const [p50, p95, p99] = percentiles(all, [50, 95, 99]) as [number, number, number];
    const widened = roundUpBound(p99 * DURATION_MARGIN);
    if (widened <= bound.max) continue;
    const edit = setKey(input.source, `${bound.path}.duration_ms`, 'max', widened, input.file);
    if (!edit.ok) continue;
    const distribution = `\`${bound.name}\` over the last ${runs.length} executions (${all.length} spans): p50 ${fmt(p50)}, p95 ${fmt(p95)}, p99 ${fmt(p99)}, max ${fmt(Math.max(...all))}`;
    const repair = edited('widen-duration-bound', input, edit.text, `widen ${bound.expectation} \`${bound.name}\` duration_ms.max from ${bound.max} to ${widened} ms (observed p99 ${fmt(p99)} × ${DURATION_MARGIN})`, [
      distribution,
      `${near} of ${runs.length} executions were at or over ${Math.round(NEAR_BOUND * 100)} % of the bound (${fmt(NEAR_BOUND * bound.max)}): the bound is routinely near, not a one-off`,
    ]);
    if (repair) out.push(repair);
  }
  return out;
}
