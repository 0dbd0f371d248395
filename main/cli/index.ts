// The `clnrm` command line: one commander program; each command lives in commands/<name>.ts and
// registers itself. `main` returns the exit code (0 ok, 1 failed/invalid, 2 usage or environment).
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands';
import { processIO, type CliContext, type CliIO } from './context';
import { EXIT_USAGE } from './exit';
import { formatProblem, toProblem } from '../../shared/errors';

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('clnrm')
    .description('Cleanroom Studio: hermetic tests and traces from .clnrm.toml files')
    .version('0.1.0', '-V, --version')
    .showHelpAfterError('(run `clnrm --help` for usage)')
    .configureOutput({ writeOut: (s) => ctx.out(s.replace(/\n$/, '')), writeErr: (s) => ctx.err(s.replace(/\n$/, '')) })
    .exitOverride();
  registerCommands(program, ctx);
  return program;
}

/** Runs the CLI with `argv` (node, script, ...args) and returns the exit code. */
export async function run(argv: string[], io: CliIO, stopSignal?: AbortSignal): Promise<number> {
  const ctx: CliContext = { ...io, exitCode: 0, stopSignal: stopSignal ?? new AbortController().signal };
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    ctx.err(`clnrm: ${formatProblem(toProblem(error))}`);
    return EXIT_USAGE;
  }
  return ctx.exitCode;
}

/** Entry point used by bin/clnrm.js. */
export async function main(argv: string[]): Promise<number> {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  // A closed terminal (SIGHUP) stops a command as Ctrl-C does: containers removed, faults reverted, the
  // store closed and a studio's host file withdrawn, instead of dying where it stands. A repeated signal
  // (a process group's and a parent's forwarded copy arrive together) must not cut that clean-up short,
  // so the handler stays; only SIGKILL ends a stopping command, and the next start reaps what it left.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.on(signal, stop);
  try {
    return await run(argv, processIO(), controller.signal);
  } finally {
    for (const signal of signals) process.off(signal, stop);
  }
}
