// `clnrm chaos …`: the chaos layer's commands. Each subcommand lives in its own file (chaos-faults.ts, …)
// and registers itself on this group.
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { registerChaosFaults } from './chaos-faults';

export function registerChaos(program: Command, ctx: CliContext): void {
  const chaos = program.command('chaos').description('Chaos engineering: the fault catalog');
  registerChaosFaults(chaos, ctx);
}
