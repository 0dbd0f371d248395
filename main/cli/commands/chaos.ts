// `clnrm chaos …`: the chaos layer's command group. Each subcommand lives in its own file
// (chaos-<name>.ts) and is one entry below.
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { registerChaosFaults } from './chaos-faults';
import { registerChaosProxy } from './chaos-proxy';
import { registerChaosToolkit } from './chaos-toolkit';

type RegisterSubcommand = (chaos: Command, ctx: CliContext) => void;

const subcommands: RegisterSubcommand[] = [registerChaosFaults, registerChaosProxy, registerChaosToolkit];

export function registerChaos(program: Command, ctx: CliContext): void {
  const chaos = program.command('chaos').description('Chaos engineering: the fault catalog, the fault proxy, Chaos Toolkit export and import');
  for (const register of subcommands) register(chaos, ctx);
}
