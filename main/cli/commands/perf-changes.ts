// `clnrm perf changes FILE.csv`: change points in plain time series (first column time, each other
// column a metric), so the detector of the performance layer works on any benchmark history.
// Exit 0 when there are none, 1 when there are some, 2 on bad input.
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { formatProblem, toProblem } from '../../../shared/errors';
import { DEFAULT_CHANGE_POINT_OPTIONS, detectChangePoints, type ChangePointOptions } from '../../../shared/perf/change-points';
import { readTimeSeriesCsv, type TimeSeriesTable } from '../../perf/series-csv';
import { setExit, type CliContext } from '../context';
import { displayPath } from '../display-path';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from '../exit';

/** One row of the JSON output, as the issue specifies it. */
export interface MetricChange {
  readonly metric: string;
  /** Data-row position (0-based, header excluded) of the first point after the change. */
  readonly index: number;
  readonly time: string;
  readonly before: number;
  readonly after: number;
  /** null when `before` is 0. */
  readonly changePercent: number | null;
  readonly pValue: number;
}

function probability(value: string): number {
  const p = Number(value);
  if (!(p > 0 && p < 1)) throw new InvalidArgumentError('give a p-value between 0 and 1, e.g. 0.001.');
  return p;
}

function fraction(value: string): number {
  const m = Number(value);
  if (!(m >= 0) || !Number.isFinite(m)) throw new InvalidArgumentError('give a relative change ≥ 0, e.g. 0.05 for 5 %.');
  return m;
}

export function metricChanges(table: TimeSeriesTable, metric: string | undefined, options: Partial<ChangePointOptions>): MetricChange[] {
  const out: MetricChange[] = [];
  for (const series of table.metrics) {
    if (metric !== undefined && series.name !== metric) continue;
    for (const cp of detectChangePoints(series.values, options)) {
      const row = series.rows[cp.index]!;
      out.push({
        metric: series.name, index: row, time: table.times[row]!, before: cp.before, after: cp.after,
        changePercent: Number.isFinite(cp.changePercent) ? cp.changePercent : null, pValue: cp.pValue,
      });
    }
  }
  return out;
}

const number = (x: number): string => (Math.abs(x) >= 1000 || Number.isInteger(x) ? x.toFixed(0) : x.toPrecision(4));

function humanTable(changes: readonly MetricChange[]): string[] {
  const rows = changes.map((c) => [
    c.metric, c.time, String(c.index), `${number(c.before)} → ${number(c.after)}`,
    c.changePercent === null ? 'n/a' : `${c.changePercent >= 0 ? '+' : ''}${c.changePercent.toFixed(1)} %`, c.pValue.toExponential(1),
  ]);
  const head = ['metric', 'time', 'row', 'mean before → after', 'change', 'p-value'];
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  return [head, ...rows].map((r) => r.map((cell, k) => cell.padEnd(widths[k]!)).join('  ').trimEnd());
}

export function registerPerfChanges(perf: Command, ctx: CliContext): void {
  const d = DEFAULT_CHANGE_POINT_OPTIONS;
  perf
    .command('changes')
    .description('Change points in a time-series CSV (first column time, one column per metric)')
    .argument('<file>', 'CSV file with a header row')
    .option('--metric <name>', 'only this metric column')
    .option('--max-pvalue <p>', `strict p-value a change must reach (default ${d.maxPValue})`, probability)
    .option('--min-magnitude <r>', `smallest relative change reported, e.g. 0.05 (default ${d.minMagnitude})`, fraction)
    .option('--format <format>', 'human or json', (v) => {
      if (v !== 'human' && v !== 'json') throw new InvalidArgumentError('use one of: human, json.');
      return v;
    }, 'human')
    .action(async (file: string, o: { metric?: string; maxPvalue?: number; minMagnitude?: number; format: 'human' | 'json' }) => {
      const shown = displayPath(ctx.cwd, resolve(ctx.cwd, file));
      let table: TimeSeriesTable;
      try {
        table = await readTimeSeriesCsv(resolve(ctx.cwd, file), shown);
      } catch (error) {
        ctx.err(`clnrm perf changes: ${formatProblem(toProblem(error))}`);
        setExit(ctx, EXIT_USAGE);
        return;
      }
      if (o.metric !== undefined && !table.metrics.some((m) => m.name === o.metric)) {
        ctx.err(`clnrm perf changes: ${shown} has no metric column "${o.metric}"; its metrics: ${table.metrics.map((m) => m.name).join(', ')}.`);
        setExit(ctx, EXIT_USAGE);
        return;
      }
      const changes = metricChanges(table, o.metric, {
        ...(o.maxPvalue !== undefined ? { maxPValue: o.maxPvalue } : {}),
        ...(o.minMagnitude !== undefined ? { minMagnitude: o.minMagnitude } : {}),
      });
      if (o.format === 'json') ctx.out(JSON.stringify(changes, null, 2));
      else if (changes.length === 0) ctx.out(`No change points in ${shown} (${table.times.length} rows, ${table.metrics.length} metrics).`);
      else {
        ctx.out(`${changes.length} change point${changes.length === 1 ? '' : 's'} in ${shown}:`);
        for (const line of humanTable(changes)) ctx.out(line);
      }
      setExit(ctx, changes.length > 0 ? EXIT_FAILED : EXIT_OK);
    });
}
