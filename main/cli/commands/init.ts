// `clnrm init [DIR] [--name N] [--force]`: writes a starter test, `tests/<name>.clnrm.toml` (or into
// DIR), that validates and shows services, a scenario and a few expectations. Never overwrites an
// existing file without --force.
import { mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { displayPath } from '../display-path';
import { InvalidArgumentError, type Command } from 'commander';
import { toProblem } from '../../../shared/errors';
import { starterTestFile } from '../../../shared/spec/starter';
import { writeFileAtomic } from '../../spec';
import { setExit, type CliContext } from '../context';
import { EXIT_USAGE } from '../exit';

function parseName(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(value)) {
    throw new InvalidArgumentError('a test name uses letters, digits, "_" and "-" (up to 64), e.g. checkout_flow.');
  }
  return value;
}

export function registerInit(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description('Write a starter .clnrm.toml test (tests/<name>.clnrm.toml, or into DIR)')
    .argument('[dir]', 'directory for the test file (default: ./tests)')
    .option('--name <name>', 'test name (also the file name)', parseName, 'smoke')
    .option('--force', 'overwrite an existing file')
    .action(async (dir: string | undefined, options: { name: string; force?: boolean }) => {
      const folder = resolve(ctx.cwd, dir ?? 'tests');
      const path = join(folder, `${options.name}.clnrm.toml`);
      const display = displayPath(ctx.cwd, path);
      try {
        const existing = await stat(folder).catch(() => undefined);
        if (existing && !existing.isDirectory()) {
          ctx.err(`clnrm init: ${displayPath(ctx.cwd, folder)} exists and is not a directory`);
          setExit(ctx, EXIT_USAGE);
          return;
        }
        if (!options.force && (await stat(path).catch(() => undefined))) {
          ctx.err(`clnrm init: ${display} already exists; use --force to overwrite it`);
          setExit(ctx, EXIT_USAGE);
          return;
        }
        await mkdir(folder, { recursive: true });
        await writeFileAtomic(path, starterTestFile(options.name));
        ctx.out(`created ${display}\nnext: clnrm validate ${display}`);
      } catch (error) {
        ctx.err(`clnrm init: ${toProblem(error).message}`);
        setExit(ctx, EXIT_USAGE);
      }
    });
}
