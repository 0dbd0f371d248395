// `clnrm import FILE...`: read trace files (OTLP JSON/JSONL, Jaeger JSON, clnrm NDJSON) into the
// trace store. Spans already stored are skipped, so importing twice is harmless.
import type { Command } from 'commander';
import { formatProblem, toProblem } from '../../../shared/errors';
import { setExit, type CliContext } from '../context';
import { withStore } from '../with-store';
import { EXIT_FAILED, EXIT_USAGE } from '../exit';
import { isAbsolute, resolve } from 'node:path';

export function registerImport(program: Command, ctx: CliContext): void {
  program
    .command('import')
    .description('Import trace files into the trace store')
    .argument('<files...>', 'OTLP JSON/JSONL, Jaeger JSON or clnrm NDJSON files')
    .option('--data-dir <dir>', 'folder of the trace database (default: the app-data folder)')
    .action(async (files: string[], options: { dataDir?: string }) => {
      await withStore(ctx, 'import', options.dataDir, async (store) => {
        for (const file of files) {
          const path = isAbsolute(file) ? file : resolve(ctx.cwd, file);
          try {
            const r = await store.importFile(path);
            ctx.out(`${file}: ${r.imported} spans in ${r.traces} traces imported (${r.format})${r.duplicates ? `, ${r.duplicates} already stored` : ''}`);
            for (const w of r.warnings) ctx.err(`  warning: ${formatProblem(w)}`);
          } catch (error) {
            const p = toProblem(error);
            ctx.err(`clnrm import: ${formatProblem(p.file ? p : { ...p, file })}`);
            setExit(ctx, p.code === 'io.read' ? EXIT_USAGE : EXIT_FAILED);
          }
        }
      });
    });
}
