// `clnrm export (--trace ID... | --all) -o FILE`: write stored traces as OTLP JSON (or JSON Lines),
// atomically (temp file + rename); `-o -` writes to stdout.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { formatProblem } from '../../../shared/errors';
import { setExit, type CliContext } from '../context';
import { normaliseTraceId, withStore } from '../with-store';
import { EXIT_FAILED, EXIT_USAGE } from '../exit';

interface ExportOptions {
  trace?: string[];
  all?: boolean;
  output: string;
  format: 'otlp-json' | 'otlp-jsonl';
  dataDir?: string;
}

function traceId(value: string, previous: string[] = []): string[] {
  const id = normaliseTraceId(value);
  if (id === undefined) throw new InvalidArgumentError(`"${value}" is not a trace id (32 hex characters).`);
  return [...previous, id];
}

export function registerExport(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .description('Export stored traces as OTLP JSON')
    .option('--trace <id>', 'a trace to export (repeatable)', traceId)
    .option('--all', 'export every stored trace')
    .requiredOption('-o, --output <file>', 'file to write (- for stdout)')
    .option('--format <format>', 'otlp-json or otlp-jsonl', (v) => {
      if (v !== 'otlp-json' && v !== 'otlp-jsonl') throw new InvalidArgumentError('use otlp-json or otlp-jsonl.');
      return v;
    }, 'otlp-json')
    .option('--data-dir <dir>', 'folder of the trace database (default: the app-data folder)')
    .action(async (options: ExportOptions) => {
      if (Boolean(options.all) === Boolean(options.trace?.length)) {
        ctx.err('clnrm export: give either --trace ID (one or more) or --all.');
        setExit(ctx, EXIT_USAGE);
        return;
      }
      await withStore(ctx, 'export', options.dataDir, async (store) => {
        const result = await store.exportTraces(options.all ? 'all' : options.trace!, options.format);
        if (result.missing.length > 0) {
          ctx.err(`clnrm export: no stored trace ${result.missing.join(', ')}. List ids with \`clnrm traces\`.`);
          setExit(ctx, EXIT_FAILED);
          return;
        }
        if (options.output === '-') {
          ctx.out(result.text.replace(/\n$/, ''));
          return;
        }
        const target = isAbsolute(options.output) ? options.output : resolve(ctx.cwd, options.output);
        const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
        try {
          writeFileSync(temp, result.text);
          renameSync(temp, target);
        } catch (error) {
          rmSync(temp, { force: true });
          ctx.err(`clnrm export: ${formatProblem({ code: 'io.write', message: `Cannot write ${target}: ${(error as Error).message}`, file: target })}`);
          setExit(ctx, EXIT_USAGE);
          return;
        }
        ctx.err(`Exported ${result.spans} spans to ${options.output}`);
      });
    });
}
