// The cleanroom/chaos-proxy image's entry: `clnrm chaos proxy` on its own, bundled with everything it
// imports into one file (dist/chaos-proxy.cjs, no node_modules), so the image is the node image plus
// that file. Same flags, output and signal handling as the full CLI's command.
import { registerChaosProxy } from './commands/chaos-proxy';
import { processIO, type CliContext } from './context';
import { newProgram, parseProgram, untilStopped } from './program';

function main(argv: string[]): Promise<number> {
  return untilStopped((stopSignal) => {
    const ctx: CliContext = { ...processIO(), exitCode: 0, stopSignal };
    const program = newProgram(ctx);
    registerChaosProxy(program.command('chaos').description('Chaos engineering: fault injection'), ctx);
    return parseProgram(program, ctx, argv);
  });
}

void main(process.argv).then((code) => (process.exitCode = code));
