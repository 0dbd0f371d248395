// `clnrm perf history TEST`: a test's latency per span name over its stored runs (p50/p95/p99/mean of
// each run), with the change points of the chosen metric, as a table per span or as JSON.
import { InvalidArgumentError, type Command } from 'commander';
import { SeriesMetricSchema, type PerfHistory, type SeriesMetric, type SpanSeries } from '../../../shared/perf/series';
import { perfHistory } from '../../perf/history';
import { setExit, type CliContext } from '../context';
import { EXIT_FAILED } from '../exit';
import { withStore } from '../with-store';
import { testFilter } from './runs';
import { formatDurationUs as duration } from './traces';

interface HistoryOptions {
  dataDir?: string;
  scenario?: string;
  span?: string;
  metric: SeriesMetric;
  limit: number;
  format: 'human' | 'json';
}

const percent = (p: number | null): string => (p === null ? 'from 0' : `${p >= 0 ? '+' : ''}${p.toFixed(1)} %`);

function seriesLines(s: SpanSeries): string[] {
  const changedAt = new Set(s.changePoints.map((c) => c.index));
  const head = ['', 'run', 'started (UTC)', 'commit', 'spans', 'p50', 'p95', 'p99', 'mean'];
  const rows = s.points.map((p, i) => [
    changedAt.has(i) ? '▲' : '', p.runId, new Date(p.at).toISOString().slice(0, 19).replace('T', ' '), p.commit?.slice(0, 7) ?? '-',
    String(p.count), duration(p.p50), duration(p.p95), duration(p.p99), duration(p.mean),
  ]);
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  const lines = [`${s.span} — ${s.points.length} runs, change points of ${s.metric}:`];
  lines.push(...[head, ...rows].map((r) => r.map((cell, k) => cell.padEnd(widths[k]!)).join('  ').trimEnd()));
  if (s.changePoints.length === 0) lines.push(`no change point in ${s.metric}`);
  for (const c of s.changePoints) {
    lines.push(`▲ ${s.metric} changed at run ${c.runAfter} (after ${c.runBefore}): ${duration(c.before)} → ${duration(c.after)} (${percent(c.changePercent)}), p = ${c.pValue.toPrecision(2)}`);
  }
  return lines;
}

function humanLines(test: string, h: PerfHistory): string[] {
  const lines = [`History of ${test}${h.scenario !== undefined ? ` › ${h.scenario}` : ''}: ${h.runs} stored runs`];
  for (const s of h.series) lines.push('', ...seriesLines(s));
  return lines;
}

function runLimit(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 1000) throw new InvalidArgumentError('give a whole number from 1 to 1000.');
  return Number(value);
}

function metric(value: string): SeriesMetric {
  const parsed = SeriesMetricSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`use one of: ${SeriesMetricSchema.options.join(', ')}.`);
  return parsed.data;
}

export function registerPerfHistory(perf: Command, ctx: CliContext): void {
  perf
    .command('history')
    .description("A test's span latencies over its stored runs (p50, p95, p99, mean) with change points")
    .argument('<test>', 'the test file (a path) or the test\'s [meta] name')
    .option('--scenario <name>', 'only this scenario of the test')
    .option('--span <name>', 'only this span name (default: every span name)')
    .option('--metric <metric>', 'the metric searched for change points: p50, p95, p99 or mean', metric, 'p95' as SeriesMetric)
    .option('--limit <n>', 'newest runs read', runLimit, 200)
    .option('--data-dir <dir>', 'folder of the trace database (default: the app-data folder)')
    .option('--format <format>', 'human or json', (v) => {
      if (v !== 'human' && v !== 'json') throw new InvalidArgumentError('use one of: human, json.');
      return v;
    }, 'human')
    .action(async (test: string, o: HistoryOptions) => {
      await withStore(ctx, 'perf history', o.dataDir, async (store) => {
        const history = await perfHistory(store, { ...testFilter(test, ctx.cwd), scenario: o.scenario, span: o.span, metric: o.metric, limit: o.limit });
        if (history.runs === 0 || (o.span !== undefined && history.series[0]!.points.length === 0)) {
          const what = history.runs === 0 ? 'no stored runs' : `no span named "${o.span}" in its ${history.runs} stored runs (names: ${history.spanNames.slice(0, 8).join(', ') || 'none'})`;
          ctx.err(`clnrm perf history: ${test}${o.scenario !== undefined ? ` › ${o.scenario}` : ''} has ${what} (in ${store.path}). List runs with \`clnrm runs --test ${test}\`.`);
          setExit(ctx, EXIT_FAILED);
          return;
        }
        if (o.format === 'json') ctx.out(JSON.stringify(history, null, 2));
        else for (const line of humanLines(test, history)) ctx.out(line);
      });
    });
}
