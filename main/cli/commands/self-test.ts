// `clnrm self-test`: the runner proves itself. Without suite flags: a built-in test (cleanroom/busybox)
// whose expectations are over the runner's own spans, reported like `clnrm run`. With clnrm's flags
// (`--suite basic|container|service|otel`, repeatable; `--otel-exporter stdout|otlp`; `--otel-endpoint`):
// those suites run for real and the runner's own trace goes to the exporter (NDJSON on stdout, or OTLP/HTTP).
import { InvalidArgumentError, type Command } from 'commander';
import { formatProblem } from '../../../shared/errors';
import { SELF_TEST_FILE, SELF_TEST_SOURCE } from '../../runner/self-test';
import { OTEL_EXPORTERS, tracesUrl, type OtelExporterName } from '../../runner/self-test-export';
import { runSuiteSelfTest } from '../../runner/self-test-run';
import { SELF_TEST_SUITES, type SelfTestSuite } from '../../runner/self-test-suites';
import { setExit, type CliContext } from '../context';
import { EXIT_FAILED, EXIT_USAGE } from '../exit';
import { parseFormat, runAndReport, type RunCommandOptions } from './run';

function collectSuite(value: string, previous: SelfTestSuite[] = []): SelfTestSuite[] {
  if (!(SELF_TEST_SUITES as readonly string[]).includes(value)) throw new InvalidArgumentError(`use ${SELF_TEST_SUITES.join(', ')} (repeat --suite for several).`);
  return previous.includes(value as SelfTestSuite) ? previous : [...previous, value as SelfTestSuite];
}

function parseExporter(value: string): OtelExporterName {
  if (!(OTEL_EXPORTERS as readonly string[]).includes(value)) throw new InvalidArgumentError(`use ${OTEL_EXPORTERS.join(' or ')}.`);
  return value as OtelExporterName;
}

type SelfTestOptions = Omit<RunCommandOptions, 'jobs'> & { print?: boolean; suite?: SelfTestSuite[]; otelExporter?: OtelExporterName; otelEndpoint?: string };

async function runSuites(ctx: CliContext, options: SelfTestOptions): Promise<void> {
  const exporter = options.otelExporter ?? 'stdout';
  const endpoint = options.otelEndpoint ?? ctx.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const usage = (message: string) => (ctx.err(`clnrm: ${message}`), setExit(ctx, EXIT_USAGE));
  if (options.format !== 'human' || options.print || options.dataDir) return usage('--suite and --otel-* cannot be combined with --format, --print or --data-dir (the suites report through the exporter)');
  if (exporter === 'otlp' && !endpoint) return usage('--otel-exporter otlp needs --otel-endpoint URL (or OTEL_EXPORTER_OTLP_ENDPOINT)');
  if (exporter === 'stdout' && options.otelEndpoint) return usage('--otel-endpoint is for --otel-exporter otlp');
  if (exporter === 'otlp') {
    try {
      tracesUrl(endpoint!);
    } catch (error) {
      return usage((error as Error).message);
    }
  }
  const suites = options.suite ?? [...SELF_TEST_SUITES];
  // With the stdout exporter, stdout carries the span lines; people read stderr.
  const say = exporter === 'stdout' ? (line: string) => ctx.err(line) : (line: string) => ctx.out(line);
  const outcome = await runSuiteSelfTest({ suites, exporter, endpoint, env: ctx.env, writeLine: (line) => ctx.out(line) });
  for (const r of outcome.results) say(`${r.passed ? '✓' : '✗'} ${r.suite}: ${r.step} — ${r.message}`);
  if (outcome.problem) {
    ctx.err(`clnrm: ${formatProblem(outcome.problem)}`);
    setExit(ctx, outcome.problem.code === 'docker.unavailable' ? EXIT_USAGE : EXIT_FAILED);
    return;
  }
  const failed = outcome.results.filter((r) => !r.passed).length;
  say(failed === 0 ? `self-test passed: ${outcome.results.length} step(s)` : `self-test failed: ${failed} of ${outcome.results.length} step(s)`);
  if (failed > 0) setExit(ctx, EXIT_FAILED);
}

export function registerSelfTest(program: Command, ctx: CliContext): void {
  program
    .command('self-test')
    .description('Run the built-in test that checks the runner against its own trace, or clnrm\'s self-test suites with --suite (needs Docker and cleanroom/busybox)')
    .option('--format <format>', 'report on stdout: human, json or junit', parseFormat, 'human')
    .option('--data-dir <dir>', 'folder of the trace database (default: the app-data folder)')
    .option('-v, --verbose', 'print every failure reason as it happens')
    .option('--print', 'print the built-in test file and exit')
    .option('--suite <suite>', `run clnrm's self-test suite (${SELF_TEST_SUITES.join('|')}); repeatable; default all four`, collectSuite)
    .option('--otel-exporter <exporter>', 'where the suites\' own spans go: stdout (clnrm NDJSON lines) or otlp (OTLP/HTTP)', parseExporter)
    .option('--otel-endpoint <url>', 'OTLP/HTTP endpoint for --otel-exporter otlp, e.g. http://collector:4318')
    .action(async (options: SelfTestOptions) => {
      if (options.suite || options.otelExporter || options.otelEndpoint) {
        await runSuites(ctx, options);
        return;
      }
      if (options.print) {
        ctx.out(SELF_TEST_SOURCE);
        return;
      }
      await runAndReport(ctx, [{ file: SELF_TEST_FILE, source: SELF_TEST_SOURCE }], { ...options, jobs: 1, includeRunnerSpans: true });
    });
}
