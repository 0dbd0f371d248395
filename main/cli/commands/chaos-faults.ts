// `clnrm chaos faults [--file F] [--format json]`: every fault type with its parameters (type, unit,
// default, range), what it needs and whether it can be undone. With --file, the file's
// `[chaos.catalog]` narrows built-in faults and adds the user's own.
import { Option, type Command } from 'commander';
import { FaultCatalog } from '../../../shared/chaos/catalog';
import { describeRange, type FaultSpec } from '../../../shared/chaos/fault-spec';
import { applyUserCatalog } from '../../../shared/chaos/user-catalog';
import { formatProblem } from '../../../shared/errors';
import { loadTestFile } from '../../spec';
import { displayPath } from '../display-path';
import { setExit, type CliContext } from '../context';
import { EXIT_FAILED } from '../exit';

function faultLines(fault: FaultSpec): string[] {
  const head = `${fault.id}  [${fault.family}]  needs: ${fault.needs.join(', ') || 'nothing'}${fault.injectable ? '' : '  (not injectable)'}`;
  const lines = [head, `  ${fault.description}`, `  revert: ${fault.revertible ? '' : 'NOT REVERTIBLE — '}${fault.revert}`];
  for (const p of fault.parameters) {
    const fallback = 'default' in p && p.default !== undefined ? `default ${String(p.default)}` : p.required || p.type === 'service' ? 'required' : 'optional';
    lines.push(`  - ${p.name} (${p.type}; ${describeRange(p)}; ${fallback}): ${p.description}`);
  }
  return lines;
}

/** Plain data for --format json (the studio's palette reads the same shape over IPC later). */
function faultJson(fault: FaultSpec): Record<string, unknown> {
  return { ...fault, parameters: fault.parameters.map((p) => ({ ...p, range: describeRange(p) })) };
}

export function registerChaosFaults(chaos: Command, ctx: CliContext): void {
  chaos
    .command('faults')
    .description('List every fault type with its parameters, units, ranges and what it needs')
    .option('--file <test.clnrm.toml>', "include the file's [chaos.catalog] (narrowed and user-declared faults)")
    .addOption(new Option('--format <format>', 'output format').choices(['human', 'json']).default('human'))
    .action(async (options: { file?: string; format: 'human' | 'json' }) => {
      let catalog = new FaultCatalog();
      if (options.file !== undefined) {
        const loaded = await loadTestFile(options.file, ctx.env);
        if (loaded.errors.length > 0) {
          for (const p of loaded.errors) ctx.err(formatProblem({ ...p, file: displayPath(ctx.cwd, options.file) }));
          setExit(ctx, EXIT_FAILED);
          return;
        }
        catalog = applyUserCatalog(loaded.tests[0]?.chaos?.catalog).catalog;
      }
      const faults = catalog.list();
      if (options.format === 'json') {
        ctx.out(JSON.stringify({ faults: faults.map(faultJson) }, null, 2));
        return;
      }
      for (const fault of faults) ctx.out(faultLines(fault).join('\n') + '\n');
      const irreversible = faults.filter((f) => !f.revertible).map((f) => f.id);
      ctx.out(`${faults.length} fault types. Cannot be reverted: ${irreversible.join(', ') || 'none'}. Faults needing local-engine-root use nsenter + iptables on the engine's host.`);
    });
}
