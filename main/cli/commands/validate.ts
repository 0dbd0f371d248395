// `clnrm validate FILE|DIR...`: checks test files like a compiler checks sources. Prints
// `file:line:col: error: message [code]` (warnings too) and a summary; `--format json` prints
// `[{file, valid, errors:[{code,message,line,column}], warnings:[...]}]`. Exit 0 when every file is
// valid (warnings allowed), 1 when one is invalid, 2 for usage errors (no such path, no files).
import { displayPath } from '../display-path';
import { Option, type Command } from 'commander';
import { formatLocation, toProblem, type Problem } from '../../../shared/errors';
import { findTestFiles, loadTestFile } from '../../spec';
import { setExit, type CliContext } from '../context';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from '../exit';

export interface ValidationReport {
  file: string;
  valid: boolean;
  errors: { code: string; message: string; line: number | null; column: number | null }[];
  warnings: { code: string; message: string; line: number | null; column: number | null }[];
}

const brief = (p: Problem) => ({ code: p.code, message: p.message, line: p.line ?? null, column: p.column ?? null });

function human(p: Problem, file: string, severity: 'error' | 'warning'): string {
  const where = formatLocation({ file, line: p.line, column: p.column });
  return `${where}: ${severity}: ${p.message} [${p.code}]`;
}

export function registerValidate(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('Check .clnrm.toml test files (directories are searched recursively)')
    .argument('<paths...>', 'test files or directories')
    .addOption(new Option('--format <format>', 'output format').choices(['human', 'json']).default('human'))
    .action(async (paths: string[], options: { format: 'human' | 'json' }) => {
      let files: string[];
      try {
        files = await findTestFiles(paths, ctx.cwd);
      } catch (error) {
        const p = toProblem(error);
        ctx.err(`clnrm validate: ${p.message}`);
        setExit(ctx, EXIT_USAGE);
        return;
      }
      if (files.length === 0) {
        ctx.err(`clnrm validate: no *.clnrm.toml files found in ${paths.join(', ')}`);
        setExit(ctx, EXIT_USAGE);
        return;
      }
      const reports: ValidationReport[] = [];
      for (const path of files) {
        const display = displayPath(ctx.cwd, path);
        const loaded = await loadTestFile(path, ctx.env);
        reports.push({ file: display, valid: loaded.errors.length === 0, errors: loaded.errors.map(brief), warnings: loaded.warnings.map(brief) });
        if (options.format === 'human') {
          // One list in file order, like a compiler's output.
          const all = [
            ...loaded.errors.map((p) => ({ p, severity: 'error' as const })),
            ...loaded.warnings.map((p) => ({ p, severity: 'warning' as const })),
          ].sort((a, b) => (a.p.line ?? 0) - (b.p.line ?? 0) || (a.p.column ?? 0) - (b.p.column ?? 0));
          for (const { p, severity } of all) ctx.out(human(p, display, severity));
        }
      }
      const invalid = reports.filter((r) => !r.valid).length;
      if (options.format === 'json') ctx.out(JSON.stringify(reports, null, 2));
      else {
        const errors = reports.reduce((n, r) => n + r.errors.length, 0);
        const warnings = reports.reduce((n, r) => n + r.warnings.length, 0);
        ctx.out(
          `${reports.length} file${reports.length === 1 ? '' : 's'} checked: ${reports.length - invalid} valid, ${invalid} invalid (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'})`,
        );
      }
      setExit(ctx, invalid > 0 ? EXIT_FAILED : EXIT_OK);
    });
}
