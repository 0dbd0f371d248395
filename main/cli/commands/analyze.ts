// `clnrm analyze TEST_FILE --traces TRACE_FILE [--format json]`: checks every expectation of a test
// file against spans recorded earlier (OTLP JSON/JSONL, Jaeger JSON, clnrm NDJSON), without running
// anything. Exit 0 when all pass, 1 when one fails, 2 when a file is unreadable or invalid.
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { displayPath } from '../display-path';
import { Option, type Command } from 'commander';
import { formatLocation, formatProblem, toProblem, type Problem } from '../../../shared/errors';
import { evaluateExpectations, type ExpectationResult } from '../../../shared/expect';
import { parseTraceFile } from '../../../shared/otlp';
import type { TestFile } from '../../../shared/spec';
import { loadTestFile } from '../../spec';
import { setExit, type CliContext } from '../context';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from '../exit';

export interface AnalyzeReport {
  passed: boolean;
  results: (ExpectationResult & { test?: string })[];
}

function hasExpectations(test: TestFile): boolean {
  return Boolean(test.expect || test.orchestration?.temporal || test.orchestration?.distributed_tracing);
}

/** Service ids (and their DNS-safe spellings) are hosts inside the test, as in the runner. */
function knownHosts(test: TestFile): string[] {
  return Object.keys(test.services).flatMap((id) => [id, id.replace(/[_.]/g, '-')]);
}

function line(r: ExpectationResult & { test?: string }): string {
  const ids = r.spans.length ? `  [${r.spans.slice(0, 8).join(', ')}${r.spans.length > 8 ? `, +${r.spans.length - 8}` : ''}]` : '';
  const test = r.test ? `${r.test}: ` : '';
  return `${r.passed ? '✓' : '✗'} ${test}${r.expectation}  ${r.message}${ids}`;
}

export function registerAnalyze(program: Command, ctx: CliContext): void {
  program
    .command('analyze')
    .description('check the expectations of a test file against a recorded trace file')
    .argument('<test-file>', 'a .clnrm.toml test file')
    .requiredOption('--traces <file>', 'trace file: OTLP JSON/JSONL, Jaeger JSON or clnrm NDJSON')
    .addOption(new Option('--format <format>', 'output format').choices(['human', 'json']).default('human'))
    .action(async (testArg: string, options: { traces: string; format: 'human' | 'json' }) => {
      const usage = (p: Problem) => {
        ctx.err(`clnrm analyze: ${formatProblem(p)}`);
        setExit(ctx, EXIT_USAGE);
      };
      const testPath = isAbsolute(testArg) ? testArg : resolve(ctx.cwd, testArg);
      const loaded = await loadTestFile(testPath, ctx.env);
      const shown = displayPath(ctx.cwd, testPath);
      if (loaded.errors.length) {
        for (const p of loaded.errors) ctx.err(`${formatLocation({ file: shown, line: p.line, column: p.column })}: error: ${p.message} [${p.code}]`);
        ctx.err(`clnrm analyze: ${shown} is not a valid test file; run \`clnrm validate ${shown}\` for details`);
        // An invalid test file is a failed check of the user's input (as with validate), not a usage error.
        setExit(ctx, EXIT_FAILED);
        return;
      }
      const tests = loaded.tests.filter(hasExpectations);
      if (tests.length === 0) {
        usage({ code: 'cli.usage', message: `${shown} declares no expectations ([expect], [orchestration.temporal] or [orchestration.distributed_tracing]); nothing to analyze`, file: shown });
        return;
      }

      const tracePath = isAbsolute(options.traces) ? options.traces : resolve(ctx.cwd, options.traces);
      let text: string;
      try {
        text = await readFile(tracePath, 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? String(error);
        usage({ code: 'io.read', message: `cannot read the trace file (${code})`, file: options.traces });
        return;
      }
      let spans;
      try {
        const parsed = parseTraceFile(text, options.traces);
        spans = parsed.spans;
        for (const w of parsed.warnings) ctx.err(`warning: ${formatProblem(w)}`);
      } catch (error) {
        const p = toProblem(error);
        usage(p.file ? p : { ...p, file: options.traces });
        return;
      }

      const results: AnalyzeReport['results'] = [];
      if (tests.some((t) => t.expect?.performance || t.expect?.regression)) {
        ctx.err('note: [[expect.performance]] and [[expect.regression]] are judged by `clnrm run` only (they need container stats and stored baselines)');
      }
      for (const test of tests) {
        const own = evaluateExpectations(spans, {
          expect: test.expect,
          temporal: test.orchestration?.temporal,
          distributed: test.orchestration?.distributed_tracing,
          knownHosts: knownHosts(test),
        });
        // A matrix file yields one test per combination; name them only then.
        for (const r of own) results.push(tests.length > 1 ? { ...r, test: test.name } : r);
      }
      const failed = results.filter((r) => !r.passed).length;
      const report: AnalyzeReport = { passed: failed === 0, results };
      if (options.format === 'json') ctx.out(JSON.stringify(report, null, 2));
      else {
        for (const r of results) ctx.out(line(r));
        ctx.out(
          `${results.length} expectation${results.length === 1 ? '' : 's'}: ${results.length - failed} passed, ${failed} failed ` +
            `(${spans.length} span${spans.length === 1 ? '' : 's'} from ${options.traces})`,
        );
      }
      setExit(ctx, failed === 0 ? EXIT_OK : EXIT_FAILED);
    });
}
