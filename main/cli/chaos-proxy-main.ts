// The cleanroom/chaos-proxy image's entry: `clnrm chaos proxy` on its own, bundled with everything it
// imports into one file (dist/chaos-proxy.cjs, no node_modules), so the image is the node image plus
// that file. Same flags and output as the full CLI's command.
import { Command, CommanderError } from 'commander';
import { formatProblem, toProblem } from '../../shared/errors';
import { registerChaosProxy } from './commands/chaos-proxy';
import { processIO, type CliContext } from './context';
import { EXIT_USAGE } from './exit';

async function main(argv: string[]): Promise<number> {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  const ctx: CliContext = { ...processIO(), exitCode: 0, stopSignal: controller.signal };
  const program = new Command('clnrm')
    .configureOutput({ writeOut: (s) => ctx.out(s.replace(/\n$/, '')), writeErr: (s) => ctx.err(s.replace(/\n$/, '')) })
    .exitOverride();
  registerChaosProxy(program.command('chaos').description('Chaos engineering: fault injection'), ctx);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    ctx.err(`clnrm: ${formatProblem(toProblem(error))}`);
    return EXIT_USAGE;
  }
  return ctx.exitCode;
}

void main(process.argv).then((code) => (process.exitCode = code));
