// `clnrm perf …`: the performance layer's commands, one file per subcommand.
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { registerPerfBaseline } from './perf-baseline';
import { registerPerfBottlenecks } from './perf-bottlenecks';
import { registerPerfChanges } from './perf-changes';
import { registerPerfCompare } from './perf-compare';
import { registerPerfHistory } from './perf-history';

export function registerPerf(program: Command, ctx: CliContext): void {
  const perf = program.command('perf').description('Performance: change points in histories, bottlenecks of traces, run comparisons, latency baselines, test histories');
  registerPerfChanges(perf, ctx);
  registerPerfBottlenecks(perf, ctx);
  registerPerfCompare(perf, ctx);
  registerPerfBaseline(perf, ctx);
  registerPerfHistory(perf, ctx);
}
