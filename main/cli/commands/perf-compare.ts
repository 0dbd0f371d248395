// `clnrm perf compare RUN_A RUN_B`: the spans of two stored runs compared per operation (service +
// span name): duration distributions, change of the median and mean, Mann-Whitney p-value.
import { InvalidArgumentError, type Command } from 'commander';
import type { Span } from '../../../shared/model';
import { compareRuns, type OperationComparison } from '../../../shared/perf/compare';
import { RunIdSchema } from '../../../shared/run/records';
import { spansOfRun } from '../../perf/run-spans';
import type { StoreAccess } from '../../host/remote-store';
import { setExit, type CliContext } from '../context';
import { EXIT_FAILED } from '../exit';
import { withStore } from '../with-store';
import { formatDurationUs as duration } from './traces';

async function runSpans(ctx: CliContext, store: StoreAccess, id: string): Promise<Span[] | undefined> {
  const run = await store.getRun(id);
  if (!run) {
    ctx.err(`clnrm perf compare: no stored run ${id} (in ${store.path}). List runs with \`clnrm runs\`.`);
    setExit(ctx, EXIT_FAILED);
    return undefined;
  }
  return spansOfRun(store, run.run.id);
}

const change = (p: number | null): string => (p === null ? 'n/a' : `${p >= 0 ? '+' : ''}${p.toFixed(1)} %`);

function humanLines(a: string, b: string, ops: readonly OperationComparison[], onlyA: readonly string[], onlyB: readonly string[]): string[] {
  const head = ['operation', `median ${a} → ${b}`, 'change', `p95 ${a} → ${b}`, 'n', 'p-value'];
  const rows = ops.map((o) => [
    `${o.name} (${o.service})`, `${duration(o.before.p50)} → ${duration(o.after.p50)}`, change(o.medianChangePercent),
    `${duration(o.before.p95)} → ${duration(o.after.p95)}`, `${o.before.count}/${o.after.count}`, o.pValue.toPrecision(2),
  ]);
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  const lines = [head, ...rows].map((r) => r.map((cell, k) => cell.padEnd(widths[k]!)).join('  ').trimEnd());
  if (onlyA.length) lines.push(`only in ${a}: ${onlyA.join(', ')}`);
  if (onlyB.length) lines.push(`only in ${b}: ${onlyB.join(', ')}`);
  return lines;
}

function runId(value: string): string {
  if (!RunIdSchema.safeParse(value).success) throw new InvalidArgumentError('give a run id as `clnrm runs` prints it.');
  return value;
}

export function registerPerfCompare(perf: Command, ctx: CliContext): void {
  perf
    .command('compare')
    .description('Compare the span durations of two stored runs per operation (median, p95, Mann-Whitney p-value)')
    .argument('<run-a>', 'the run before (see `clnrm runs`)', runId)
    .argument('<run-b>', 'the run after', runId)
    .option('--data-dir <dir>', 'folder of the trace database (default: the app-data folder)')
    .option('--format <format>', 'human or json', (v) => {
      if (v !== 'human' && v !== 'json') throw new InvalidArgumentError('use one of: human, json.');
      return v;
    }, 'human')
    .action(async (a: string, b: string, o: { dataDir?: string; format: 'human' | 'json' }) => {
      await withStore(ctx, 'perf compare', o.dataDir, async (store) => {
        const before = await runSpans(ctx, store, a);
        const after = before && (await runSpans(ctx, store, b));
        if (!before || !after) return;
        const result = compareRuns(before, after);
        if (o.format === 'json') ctx.out(JSON.stringify(result, null, 2));
        else if (result.operations.length === 0 && !result.onlyBefore.length && !result.onlyAfter.length) ctx.out(`Neither run ${a} nor ${b} stored spans.`);
        else for (const line of humanLines(a, b, result.operations, result.onlyBefore, result.onlyAfter)) ctx.out(line);
      });
    });
}
