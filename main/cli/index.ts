// The `clnrm` command line: one commander program; each command lives in commands/<name>.ts and
// registers itself. `main` returns the exit code (0 ok, 1 failed/invalid, 2 usage or environment).
import type { Command } from 'commander';
import { registerCommands } from './commands';
import { processIO, type CliContext, type CliIO } from './context';
import { newProgram, parseProgram, untilStopped } from './program';

export function buildProgram(ctx: CliContext): Command {
  const program = newProgram(ctx)
    .description('Cleanroom Studio: hermetic tests and traces from .clnrm.toml files')
    .version('0.1.0', '-V, --version')
    .showHelpAfterError('(run `clnrm --help` for usage)');
  registerCommands(program, ctx);
  return program;
}

/** Runs the CLI with `argv` (node, script, ...args) and returns the exit code. */
export async function run(argv: string[], io: CliIO, stopSignal?: AbortSignal): Promise<number> {
  const ctx: CliContext = { ...io, exitCode: 0, stopSignal: stopSignal ?? new AbortController().signal };
  return parseProgram(buildProgram(ctx), ctx, argv);
}

/** Entry point used by bin/clnrm.js. */
export function main(argv: string[]): Promise<number> {
  return untilStopped((stopSignal) => run(argv, processIO(), stopSignal));
}
