// `clnrm self-test`: the runner proves itself on a built-in test (cleanroom/busybox) whose expectations
// are over the runner's own spans. Same exit codes and report formats as `clnrm run`.
import type { Command } from 'commander';
import { SELF_TEST_FILE, SELF_TEST_SOURCE } from '../../runner/self-test';
import type { CliContext } from '../context';
import { parseFormat, runAndReport, type RunCommandOptions } from './run';

export function registerSelfTest(program: Command, ctx: CliContext): void {
  program
    .command('self-test')
    .description('Run the built-in test that checks the runner against its own trace (needs Docker and cleanroom/busybox)')
    .option('--format <format>', 'report on stdout: human, json or junit', parseFormat, 'human')
    .option('--data-dir <dir>', 'folder of the trace database (default: the app-data folder)')
    .option('-v, --verbose', 'print every failure reason as it happens')
    .option('--print', 'print the built-in test file and exit')
    .action(async (options: Omit<RunCommandOptions, 'jobs'> & { print?: boolean }) => {
      if (options.print) {
        ctx.out(SELF_TEST_SOURCE);
        return;
      }
      await runAndReport(ctx, [{ file: SELF_TEST_FILE, source: SELF_TEST_SOURCE }], { ...options, jobs: 1, includeRunnerSpans: true });
    });
}
