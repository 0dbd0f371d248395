// `clnrm import FILE...`: read trace files (OTLP JSON/JSONL, Jaeger JSON, clnrm NDJSON) into the
// trace store. Spans already stored are skipped, so importing twice is harmless. Large files are
// streamed; on a terminal (or with --verbose) a progress line goes to stderr about once a second.
import type { Command } from 'commander';
import { formatProblem, toProblem } from '../../../shared/errors';
import type { ImportProgress } from '../../store';
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
    .option('--verbose', 'print progress lines for large files even when stderr is not a terminal')
    .action(async (files: string[], options: { dataDir?: string; verbose?: boolean }) => {
      const onProgress = ctx.isTTY || options.verbose ? progressPrinter(ctx) : undefined;
      await withStore(ctx, 'import', options.dataDir, async (store) => {
        for (const file of files) {
          const path = isAbsolute(file) ? file : resolve(ctx.cwd, file);
          try {
            const r = await store.importFile(path, onProgress ? { onProgress } : undefined);
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

const PROGRESS_EVERY_MS = 1000;
const MB = 1024 * 1024;

/** A progress line when a file starts a phase, then at most one a second. */
function progressPrinter(ctx: CliContext): (p: ImportProgress) => void {
  let last = 0;
  let lastPhase = '';
  return (p) => {
    const now = Date.now();
    if (p.phase === lastPhase && now - last < PROGRESS_EVERY_MS) return;
    last = now;
    lastPhase = p.phase;
    const percent = p.totalBytes > 0 ? Math.floor((100 * p.bytesRead) / p.totalBytes) : 100;
    const read = `${(p.bytesRead / MB).toFixed(0)} of ${(p.totalBytes / MB).toFixed(0)} MB`;
    const spans = p.phase === 'importing' ? `, ${p.spans.toLocaleString('en-US')} spans` : '';
    ctx.err(`  ${p.file}: ${p.phase === 'checking' ? 'checking' : 'importing'} ${percent}% (${read}${spans})`);
  };
}
