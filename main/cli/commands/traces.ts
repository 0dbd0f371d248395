// `clnrm traces`: list stored traces with filters (service, span name, attribute, duration, status,
// run or execution, time window), sorted and paged, as a table or JSON.
import { InvalidArgumentError, type Command } from 'commander';
import type { StatusCode } from '../../../shared/model';
import type { ListTracesQuery, TraceSummary } from '../../store';
import type { CliContext } from '../context';
import { withStore } from '../with-store';

function nonNegative(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('give a number ≥ 0.');
  return n;
}

function count(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('give a whole number ≥ 0.');
  return Number(value);
}

function isoDate(value: string): string {
  if (Number.isNaN(Date.parse(value))) throw new InvalidArgumentError('give an ISO 8601 date/time, e.g. 2026-01-31T12:00:00Z.');
  return value;
}

function attribute(value: string): { key: string; value: string } {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError('give key=value, e.g. --attr http.status_code=500.');
  return { key: value.slice(0, at), value: value.slice(at + 1) };
}

interface TracesOptions {
  dataDir?: string;
  service?: string;
  spanName?: string;
  attr?: { key: string; value: string };
  minDuration?: number;
  maxDuration?: number;
  status?: StatusCode;
  run?: string;
  execution?: string;
  since?: string;
  until?: string;
  limit: number;
  offset: number;
  sort: 'start' | 'duration' | 'spans';
  order: 'asc' | 'desc';
  format: 'text' | 'json';
}

function choice<T extends string>(allowed: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(allowed as readonly string[]).includes(value)) throw new InvalidArgumentError(`use one of: ${allowed.join(', ')}.`);
    return value as T;
  };
}

export function formatDurationUs(us: number): string {
  if (us < 1000) return `${us.toFixed(us < 10 ? 2 : 0)} µs`;
  if (us < 1_000_000) return `${(us / 1000).toFixed(us < 10_000 ? 2 : 1)} ms`;
  return `${(us / 1_000_000).toFixed(2)} s`;
}

function table(traces: readonly TraceSummary[]): string[] {
  const rows = traces.map((t) => [
    t.traceId,
    new Date(t.startUs / 1000).toISOString(),
    formatDurationUs(t.durationUs),
    String(t.spanCount),
    String(t.errorCount),
    `${t.rootService}: ${t.rootName}`,
  ]);
  const head = ['TRACE ID', 'START', 'DURATION', 'SPANS', 'ERRORS', 'ROOT'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows].map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
}

export function registerTraces(program: Command, ctx: CliContext): void {
  program
    .command('traces')
    .description('List stored traces')
    .option('--data-dir <dir>', 'folder of the trace database (default: the app-data folder)')
    .option('--service <name>', 'traces with a span of this service')
    .option('--span-name <name>', 'traces with a span of this name')
    .option('--attr <key=value>', 'traces with a span (or resource) attribute of this value', attribute)
    .option('--min-duration <ms>', 'traces lasting at least this long', nonNegative)
    .option('--max-duration <ms>', 'traces lasting at most this long', nonNegative)
    .option('--status <status>', 'traces with a span of this status: ok, error or unset', choice(['ok', 'error', 'unset'] as const))
    .option('--run <id>', 'traces of this run (the id `clnrm run` prints): the runner\'s own and the system\'s')
    .option('--execution <id>', 'traces of one scenario execution of a run (see `clnrm runs`)')
    .option('--since <iso>', 'traces starting at or after this time', isoDate)
    .option('--until <iso>', 'traces starting at or before this time', isoDate)
    .option('--limit <n>', 'most traces to show', count, 50)
    .option('--offset <n>', 'skip this many traces first', count, 0)
    .option('--sort <key>', 'start, duration or spans', choice(['start', 'duration', 'spans'] as const), 'start')
    .option('--order <order>', 'asc or desc', choice(['asc', 'desc'] as const), 'desc')
    .option('--format <format>', 'text or json', choice(['text', 'json'] as const), 'text')
    .action(async (options: TracesOptions) => {
      await withStore(ctx, 'traces', options.dataDir, async (store) => {
        const query: ListTracesQuery = { sort: options.sort, order: options.order, limit: options.limit, offset: options.offset };
        if (options.service !== undefined) query.service = options.service;
        if (options.spanName !== undefined) query.spanName = options.spanName;
        if (options.attr !== undefined) query.attribute = options.attr;
        if (options.minDuration !== undefined) query.minDurationMs = options.minDuration;
        if (options.maxDuration !== undefined) query.maxDurationMs = options.maxDuration;
        if (options.status !== undefined) query.status = options.status;
        if (options.run !== undefined) query.runId = options.run;
        if (options.execution !== undefined) query.executionId = options.execution;
        if (options.since !== undefined) query.since = options.since;
        if (options.until !== undefined) query.until = options.until;
        const { traces, total } = await store.listTraces(query);
        if (options.format === 'json') ctx.out(JSON.stringify({ total, traces }, null, 2));
        else if (traces.length === 0) ctx.out(total === 0 ? `No traces match (database: ${store.path}).` : `No traces on this page (${total} match).`);
        else {
          for (const row of table(traces)) ctx.out(row);
          ctx.out(`${traces.length} of ${total} traces`);
        }
      });
    });
}
