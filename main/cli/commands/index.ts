// Every command registers itself here: one import and one entry each.
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { registerCollect } from './collect';
import { registerTrace } from './trace';
import { registerTraces } from './traces';

type Register = (program: Command, ctx: CliContext) => void;

const commands: Register[] = [registerCollect, registerTraces, registerTrace];

export function registerCommands(program: Command, ctx: CliContext): void {
  for (const register of commands) register(program, ctx);
}
