// Every command registers itself here: one import and one entry each.
import type { Command } from 'commander';
import type { CliContext } from '../context';

type Register = (program: Command, ctx: CliContext) => void;

const commands: Register[] = [];

export function registerCommands(program: Command, ctx: CliContext): void {
  for (const register of commands) register(program, ctx);
}
