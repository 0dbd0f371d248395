// `clnrm chaos export TEST [--out F.json]` and `clnrm chaos import EXPERIMENT.json [--out F.toml]`: a test
// file's experiment as Chaos Toolkit JSON, and a Chaos Toolkit experiment as a `[chaos.experiment]` block to
// put in a test file. What does not map is said on stderr, never dropped silently (shared/chaos/chaos-toolkit*).
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { stringify } from 'smol-toml';
import { importChaosToolkit } from '../../../shared/chaos/chaos-toolkit-import';
import { exportChaosToolkit } from '../../../shared/chaos/chaos-toolkit';
import { formatProblem, toProblem } from '../../../shared/errors';
import { planFor } from '../../runner/scenario-chaos';
import { loadTestFile } from '../../spec';
import { writeFileAtomic } from '../../spec/write';
import { setExit, type CliContext } from '../context';
import { displayPath } from '../display-path';
import { EXIT_FAILED, EXIT_USAGE } from '../exit';

/** Chaos Toolkit experiments are small: a bigger file is refused before it is parsed. */
const MAX_EXPERIMENT_BYTES = 4 * 1024 * 1024;

async function output(ctx: CliContext, text: string, out: string | undefined): Promise<void> {
  if (out === undefined) return ctx.out(text.trimEnd());
  await writeFileAtomic(out, text);
  ctx.err(`wrote ${displayPath(ctx.cwd, out)}`);
}

async function exportAction(ctx: CliContext, file: string, options: { out?: string }): Promise<void> {
  const loaded = await loadTestFile(file, ctx.env);
  for (const p of loaded.errors) ctx.err(formatProblem({ ...p, file: displayPath(ctx.cwd, file) }));
  const test = loaded.tests[0];
  const experiment = test?.chaos?.experiment;
  if (loaded.errors.length > 0 || !test) return setExit(ctx, EXIT_FAILED);
  if (typeof experiment !== 'object') {
    ctx.err(`clnrm chaos export: ${displayPath(ctx.cwd, file)} has no [chaos.experiment] table to export`);
    return setExit(ctx, EXIT_USAGE);
  }
  const planned = planFor(test)!;
  const { experiment: ctk, skipped } = exportChaosToolkit(planned.plan, experiment, displayPath(ctx.cwd, file));
  for (const s of skipped) ctx.err(`not in Chaos Toolkit's form: ${s}`);
  await output(ctx, `${JSON.stringify(ctk, null, 2)}\n`, options.out);
}

async function importAction(ctx: CliContext, file: string, options: { out?: string }): Promise<void> {
  const bytes = await readFile(file);
  if (bytes.length > MAX_EXPERIMENT_BYTES) throw new Error(`${displayPath(ctx.cwd, file)} is ${bytes.length} bytes: a Chaos Toolkit experiment is at most ${MAX_EXPERIMENT_BYTES} here`);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    ctx.err(`clnrm chaos import: ${displayPath(ctx.cwd, file)} is not JSON: ${(error as Error).message} (YAML experiments: convert them to JSON first)`);
    return setExit(ctx, EXIT_USAGE);
  }
  const result = importChaosToolkit(json, displayPath(ctx.cwd, file));
  for (const note of result.notes) ctx.err(`note: ${note}`);
  for (const p of result.problems) ctx.err(`clnrm chaos import: ${formatProblem(p)}`);
  if (!result.experiment) return setExit(ctx, EXIT_FAILED);
  const targets = [...new Set((result.experiment.injection ?? []).map((i) => i.target.replace(/^service:/, '')))];
  ctx.err(`the test file it goes into needs the services ${targets.join(', ')}; \`clnrm validate\` checks the faults' parameters against the catalog`);
  await output(ctx, `${stringify({ chaos: { experiment: result.experiment } })}\n`, options.out);
}

export function registerChaosToolkit(chaos: Command, ctx: CliContext): void {
  const run = (action: () => Promise<void>) =>
    action().catch((error: unknown) => {
      ctx.err(`clnrm chaos: ${formatProblem(toProblem(error))}`);
      setExit(ctx, EXIT_USAGE);
    });
  chaos
    .command('export <test.clnrm.toml>')
    .description("Write a test file's [chaos.experiment] as a Chaos Toolkit experiment (JSON)")
    .option('--out <file.json>', 'write to this file (atomically) instead of standard output')
    .action((file: string, options: { out?: string }) => run(() => exportAction(ctx, file, options)));
  chaos
    .command('import <experiment.json>')
    .description('Print a Chaos Toolkit experiment (JSON) as a [chaos.experiment] block for a test file')
    .option('--out <file.toml>', 'write to this file (atomically) instead of standard output')
    .action((file: string, options: { out?: string }) => run(() => importAction(ctx, file, options)));
}
