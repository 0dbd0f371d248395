// What every clnrm entry point shares (bin/clnrm.js and the chaos-proxy image's own bundle): a commander
// program writing through the context, the mapping of a thrown error to its exit code, and stopping on
// a signal without dying in the middle of the clean-up.
import { Command, CommanderError } from 'commander';
import { formatProblem, toProblem } from '../../shared/errors';
import type { CliContext } from './context';
import { EXIT_USAGE } from './exit';

export function newProgram(ctx: CliContext): Command {
  return new Command('clnrm')
    .configureOutput({ writeOut: (s) => ctx.out(s.replace(/\n$/, '')), writeErr: (s) => ctx.err(s.replace(/\n$/, '')) })
    .exitOverride();
}

/** Parses `argv` (node, script, ...args) and returns the exit code the command asked for. */
export async function parseProgram(program: Command, ctx: CliContext, argv: string[]): Promise<number> {
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    ctx.err(`clnrm: ${formatProblem(toProblem(error))}`);
    return EXIT_USAGE;
  }
  return ctx.exitCode;
}

/**
 * Runs `work` with a signal that aborts on Ctrl-C, SIGTERM or a closed terminal (SIGHUP): containers
 * removed, faults reverted, the store closed and a studio's host file withdrawn, instead of dying where it
 * stands. A repeated signal (a process group's and a parent's forwarded copy arrive together) must not cut
 * that clean-up short, so the handler stays; only SIGKILL ends a stopping command, and the next start reaps
 * what it left.
 */
export async function untilStopped(work: (stopSignal: AbortSignal) => Promise<number>): Promise<number> {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.on(signal, stop);
  try {
    return await work(controller.signal);
  } finally {
    for (const signal of signals) process.off(signal, stop);
  }
}
