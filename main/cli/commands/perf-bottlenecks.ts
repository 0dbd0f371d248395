// `clnrm perf bottlenecks TRACE_ID|RUN_ID`: where a stored trace's time goes (critical path, slack),
// the slowest and most variable operations, and recommendations with their evidence spans; for a
// run, over every trace the run stored.
import { InvalidArgumentError, type Command } from 'commander';
import type { Span } from '../../../shared/model';
import { analyseBottlenecks, type BottleneckReport, type OperationStat, type TraceBottlenecks } from '../../../shared/perf/bottlenecks';
import type { StoreAccess } from '../../host/remote-store';
import { spansOfRun } from '../../perf/run-spans';
import { setExit, type CliContext } from '../context';
import { EXIT_FAILED, EXIT_USAGE } from '../exit';
import { normaliseTraceIdPrefix, withStore } from '../with-store';
import { formatDurationUs as duration } from './traces';

/** Spans listed per trace in the human output's slack list. */
const SLACK_SHOWN = 5;

interface Target {
  readonly label: string;
  readonly spans: Span[];
}

/** The run with this id, else the one trace whose id starts with it; says why not and sets the exit code. */
async function resolveTarget(ctx: CliContext, store: StoreAccess, given: string): Promise<Target | undefined> {
  const run = await store.getRun(given);
  if (run) {
    const spans = await spansOfRun(store, run.run.id);
    return { label: `run ${run.run.id} (${new Set(spans.map((s) => s.traceId)).size} traces)`, spans };
  }
  const id = normaliseTraceIdPrefix(given);
  const found = id === undefined ? [] : id.length === 32 ? [id] : await store.tracesWithIdPrefix(id, 6);
  if (found.length === 1) return { label: `trace ${found[0]}`, spans: await store.getTrace(found[0]!) };
  if (found.length === 0) {
    ctx.err(`clnrm perf bottlenecks: no stored run ${given} and no trace id starting with it (in ${store.path}). List them with \`clnrm runs\` or \`clnrm traces\`.`);
    setExit(ctx, EXIT_FAILED);
  } else {
    ctx.err(`clnrm perf bottlenecks: ${given} is the start of several trace ids (${found.slice(0, 5).join(', ')}…); give more characters.`);
    setExit(ctx, EXIT_USAGE);
  }
  return undefined;
}

function operationLines(title: string, stats: readonly OperationStat[], value: (s: OperationStat) => string): string[] {
  if (stats.length === 0) return [];
  return [title, ...stats.map((s) => `  ${value(s).padEnd(22)} ${s.name} (${s.service}) ×${s.count}  e.g. span ${s.evidence[0]}`)];
}

function traceLines(t: TraceBottlenecks): string[] {
  const lines = [`Trace ${t.traceId}: ${duration(t.durationUs)}, ${t.slack.length} spans, ${t.criticalPath.length} on the critical path`];
  const heaviest = [...t.criticalPath].sort((a, b) => b.onPathUs - a.onPathUs).slice(0, SLACK_SHOWN);
  lines.push(`  critical path, largest shares: ${heaviest.map((c) => `${c.name} ${duration(c.onPathUs)}`).join(', ')}`);
  const loose = t.slack.filter((s) => s.slackUs > 0).sort((a, b) => b.slackUs - a.slackUs).slice(0, SLACK_SHOWN);
  if (loose.length > 0) lines.push(`  most slack: ${loose.map((s) => `${s.name} ${duration(s.slackUs)}`).join(', ')}`);
  return lines;
}

function humanReport(label: string, report: BottleneckReport): string[] {
  const lines = [`Bottlenecks of ${label}`];
  for (const t of report.traces) lines.push(...traceLines(t));
  lines.push(...operationLines('Slowest operations (mean, p95):', report.slowest, (s) => `${duration(s.meanUs)}, ${duration(s.p95Us)}`));
  lines.push(...operationLines('Most variable operations (std. dev.):', report.highestVariance, (s) => duration(s.stdDevUs)));
  if (report.recommendations.length === 0) lines.push('No recommendations.');
  else {
    lines.push('Recommendations:');
    for (const r of report.recommendations) {
      lines.push(`  [${r.kind}] ${r.message}`);
      lines.push(`    evidence: ${r.evidence.slice(0, 5).join(', ')}${r.evidence.length > 5 ? `, … (${r.evidence.length})` : ''} in trace ${r.traceId}`);
    }
  }
  return lines;
}

function topCount(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 1000) throw new InvalidArgumentError('give a whole number from 1 to 1000.');
  return Number(value);
}

export function registerPerfBottlenecks(perf: Command, ctx: CliContext): void {
  perf
    .command('bottlenecks')
    .description('Critical path with slack, slowest and most variable operations, and recommendations of a stored trace or run')
    .argument('<id>', 'a run id (see `clnrm runs`) or a trace id (32 hex characters, or its start)')
    .option('--data-dir <dir>', 'folder of the trace database (default: the app-data folder)')
    .option('--top <n>', 'operations listed as slowest and as most variable', topCount, 10)
    .option('--format <format>', 'human or json', (v) => {
      if (v !== 'human' && v !== 'json') throw new InvalidArgumentError('use one of: human, json.');
      return v;
    }, 'human')
    .action(async (given: string, o: { dataDir?: string; top: number; format: 'human' | 'json' }) => {
      await withStore(ctx, 'perf bottlenecks', o.dataDir, async (store) => {
        const target = await resolveTarget(ctx, store, given.trim());
        if (!target) return;
        if (target.spans.length === 0) {
          ctx.err(`clnrm perf bottlenecks: ${target.label} has no stored spans (in ${store.path}).`);
          setExit(ctx, EXIT_FAILED);
          return;
        }
        const report = analyseBottlenecks(target.spans, o.top);
        if (o.format === 'json') ctx.out(JSON.stringify(report, null, 2));
        else for (const line of humanReport(target.label, report)) ctx.out(line);
      });
    });
}
