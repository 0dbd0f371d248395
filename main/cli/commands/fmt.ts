// `clnrm fmt [--check] FILE...`: rewrites test files in the canonical layout (comments kept, data
// unchanged, idempotent). `--check` writes nothing, lists the files that would change and exits 1.
import { readFile } from 'node:fs/promises';
import { displayPath } from '../display-path';
import type { Command } from 'commander';
import { formatLocation, toProblem } from '../../../shared/errors';
import { formatToml } from '../../../shared/spec';
import { findTestFiles, writeFileAtomic } from '../../spec';
import { setExit, type CliContext } from '../context';
import { EXIT_FAILED, EXIT_USAGE } from '../exit';

export function registerFmt(program: Command, ctx: CliContext): void {
  program
    .command('fmt')
    .description('Format .clnrm.toml files in the canonical layout (comments are kept)')
    .argument('<paths...>', 'test files or directories')
    .option('--check', 'write nothing; list files that are not formatted and exit 1')
    .action(async (paths: string[], options: { check?: boolean }) => {
      let files: string[];
      try {
        files = await findTestFiles(paths, ctx.cwd);
      } catch (error) {
        ctx.err(`clnrm fmt: ${toProblem(error).message}`);
        setExit(ctx, EXIT_USAGE);
        return;
      }
      if (files.length === 0) {
        ctx.err(`clnrm fmt: no *.clnrm.toml files found in ${paths.join(', ')}`);
        setExit(ctx, EXIT_USAGE);
        return;
      }
      let changed = 0;
      for (const path of files) {
        const display = displayPath(ctx.cwd, path);
        let source: string;
        try {
          source = await readFile(path, 'utf8');
        } catch (error) {
          ctx.err(`${display}: error: cannot read the file (${(error as NodeJS.ErrnoException).code ?? error}) [io.read]`);
          setExit(ctx, EXIT_FAILED);
          continue;
        }
        const result = formatToml(source, display);
        if (!result.ok) {
          const p = result.problem;
          const hint = source.includes('{%') ? ' (template files are formatted only when they are valid TOML before rendering)' : '';
          ctx.err(`${formatLocation({ file: display, line: p.line, column: p.column })}: error: ${p.message}${hint} [${p.code}]`);
          setExit(ctx, EXIT_FAILED);
          continue;
        }
        if (!result.changed) continue;
        changed++;
        if (options.check) {
          ctx.out(display);
          continue;
        }
        try {
          await writeFileAtomic(path, result.text);
          ctx.out(`formatted ${display}`);
        } catch (error) {
          ctx.err(`${display}: error: ${toProblem(error).message} [io.write]`);
          setExit(ctx, EXIT_FAILED);
        }
      }
      if (options.check && changed > 0) {
        ctx.err(`${changed} file${changed === 1 ? ' is' : 's are'} not formatted; run clnrm fmt to fix`);
        setExit(ctx, EXIT_FAILED);
      }
    });
}
