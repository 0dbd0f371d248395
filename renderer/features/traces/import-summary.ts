// What an import did, in words for the Traces view's banner: how many spans were new and how many
// the store already held (the back end deduplicates as `clnrm import` does), and every refused
// file or warning with where it happened and what to do, one line each.
import { formatProblem } from '../../../shared/errors';
import type { CallResponse } from '../../../shared/ipc/contract';

export interface ImportSummary {
  /** `Imported 7 new, 0 already stored (1 trace)`, plus how many files were refused. */
  message: string;
  /** One line per refused file, then one per warning: `file:line:col: message [code]`. */
  lines: string[];
  failed: boolean;
}

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;

export function summariseImport(result: CallResponse<'importFiles'>): ImportSummary {
  const fresh = result.imported.reduce((n, f) => n + f.spanCount, 0);
  const stored = result.imported.reduce((n, f) => n + f.duplicates, 0);
  const traces = new Set(result.imported.flatMap((f) => f.traceIds)).size;
  const refused = result.problems.length;
  const parts = [`Imported ${fresh.toLocaleString()} new, ${stored.toLocaleString()} already stored (${plural(traces, 'trace')})`];
  if (refused > 0) parts.push(`${plural(refused, 'file')} refused`);
  return {
    message: result.imported.length === 0 && refused > 0 ? `Nothing imported: ${plural(refused, 'file')} refused` : parts.join('; '),
    lines: [...result.problems, ...result.imported.flatMap((f) => f.warnings)].map(formatProblem),
    failed: refused > 0,
  };
}
