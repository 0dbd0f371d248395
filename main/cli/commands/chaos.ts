// `clnrm chaos …`: the chaos layer's command group. Each subcommand lives in its own file
// (chaos-<name>.ts) and is one entry below.
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { registerChaosFaults } from './chaos-faults';
import { registerChaosProxy } from './chaos-proxy';

type RegisterSubcommand = (chaos: Command, ctx: CliContext) => void;

const subcommands: RegisterSubcommand[] = [registerChaosFaults, registerChaosProxy];

export function registerChaos(program: Command, ctx: CliContext): void {
  const chaos = program.command('chaos').description('Chaos engineering: the fault catalog and the fault proxy');
  for (const register of subcommands) register(chaos, ctx);
}
