// `clnrm flaky`: each test's flakiness score from the run history (the flip rate over its last
// executions, per test and per expectation) and its quarantine state, flakiest first.
import { InvalidArgumentError, type Command } from 'commander';
import { formatProblem, toProblem } from '../../../shared/errors';
import { FLAKY_RUNS_READ, flakyLines, flakyTests } from '../../healing/flaky-report';
import { KnowledgeStore, knowledgeDir } from '../../healing/knowledge-store';
import { setExit, type CliContext } from '../context';
import { EXIT_USAGE } from '../exit';
import { withStore } from '../with-store';

interface FlakyOptions {
  dataDir?: string;
  format: 'human' | 'json';
}

function format(value: string): 'human' | 'json' {
  if (value !== 'human' && value !== 'json') throw new InvalidArgumentError('use human or json.');
  return value;
}

export function registerFlaky(program: Command, ctx: CliContext): void {
  program
    .command('flaky')
    .description('List tests by flakiness score (flip rate in their run history) with their quarantine state')
    .option('--data-dir <dir>', 'folder of the trace database (default: the app-data folder); its .clnrm/ holds the knowledge store')
    .option('--format <format>', 'human or json', format, 'human')
    .action(async (options: FlakyOptions) => {
      const knowledge = new KnowledgeStore(knowledgeDir(options.dataDir, ctx.cwd));
      let quarantine;
      try {
        quarantine = await knowledge.read('quarantine');
      } catch (error) {
        ctx.err(`clnrm flaky: ${formatProblem(toProblem(error))}`);
        setExit(ctx, EXIT_USAGE);
        return;
      }
      await withStore(ctx, 'flaky', options.dataDir, async (store) => {
        const tests = flakyTests(await store.listRuns({ limit: FLAKY_RUNS_READ }), knowledge, quarantine);
        if (options.format === 'json') ctx.out(JSON.stringify({ knowledgeDir: knowledge.dir, tests }, null, 2));
        else if (tests.length === 0) ctx.out(`No executions in the run history (database: ${store.path}).`);
        else {
          ctx.out(`score  last executions (oldest first)  test › scenario`);
          for (const line of flakyLines(tests)) ctx.out(line);
          ctx.out(`${tests.length} test scenario(s). Score = changes between pass and fail / (executions - 1); flaky = 2 changes or more. Quarantine list: ${knowledge.path('quarantine')}`);
        }
      });
    });
}
