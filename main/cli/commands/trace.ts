// `clnrm trace ID`: one stored trace as an indented tree with durations (iterative walk: traces can
// be tens of thousands of spans deep), or as JSON spans, or as OTLP/JSON (both streamed to stdout,
// the spans read from a local store a page at a time).
import { InvalidArgumentError, type Command } from 'commander';
import type { Span } from '../../../shared/model';
import { prettyJsonArrayLines, prettyOtlpJsonLines, spanGroups } from '../../../shared/otlp';
import { TraceStore } from '../../store';
import { traceGroups, tracePages } from '../../store/trace-pages';
import { setExit, type CliContext } from '../context';
import { normaliseTraceIdPrefix, withStore } from '../with-store';
import type { StoreAccess } from '../../host/remote-store';
import { EXIT_FAILED, EXIT_USAGE } from '../exit';
import { formatDurationUs } from './traces';

const MAX_INDENT = 32;

/** Indentation that stays readable (and small) for very deep traces. */
function indent(depth: number): string {
  return depth <= MAX_INDENT ? '  '.repeat(depth) : `${'  '.repeat(MAX_INDENT)}[depth ${depth}] `;
}

/** Lines of the span tree, parents before children, siblings by start time; no recursion. */
export function traceTreeLines(spans: readonly Span[]): string[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, Span[]>();
  const roots: Span[] = [];
  for (const span of spans) {
    // A span whose parent never arrived is shown as a root rather than dropped.
    if (span.parentSpanId && ids.has(span.parentSpanId) && span.parentSpanId !== span.spanId) {
      let list = children.get(span.parentSpanId);
      if (!list) children.set(span.parentSpanId, (list = []));
      list.push(span);
    } else roots.push(span);
  }
  const byStart = (a: Span, b: Span): number => a.startUs - b.startUs;
  roots.sort(byStart);
  for (const list of children.values()) list.sort(byStart);
  const lines: string[] = [];
  const visited = new Set<string>();
  const stack: Array<{ span: Span; depth: number }> = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push({ span: roots[i]!, depth: 0 });
  while (stack.length > 0) {
    const { span, depth } = stack.pop()!;
    if (visited.has(span.spanId)) continue; // duplicate ids or cycles in bad data
    visited.add(span.spanId);
    const status = span.status.code === 'error' ? `  ERROR${span.status.message ? ` ${span.status.message}` : ''}` : '';
    lines.push(`${indent(depth)}${span.name}  [${span.serviceName}, ${span.kind}]  ${formatDurationUs(span.durationUs)}${status}`);
    const kids = children.get(span.spanId) ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ span: kids[i]!, depth: depth + 1 });
  }
  // Spans only reachable through a cycle were never visited from a root: list them at the end.
  for (const span of spans) if (!visited.has(span.spanId)) lines.push(`(unreachable) ${span.name}  [${span.serviceName}]`);
  return lines;
}

const CHUNK_CHARS = 64 * 1024;

/**
 * Writes lines to stdout in pieces of about 64 KiB, each once the previous one is written: a
 * 100k-span trace never exists as one string. The bytes equal `ctx.out(lines.join('\n'))`.
 */
export async function writeLines(ctx: CliContext, lines: AsyncIterable<string> | Iterable<string>): Promise<void> {
  // `out` adds the newline that ends each piece.
  const write = ctx.writeOut ? (piece: string) => ctx.writeOut!(piece) : (piece: string) => ctx.out(piece.slice(0, -1));
  let piece = '';
  for await (const line of lines) {
    piece += line + '\n';
    if (piece.length >= CHUNK_CHARS) {
      await write(piece);
      piece = '';
    }
  }
  if (piece !== '') await write(piece);
}

/** The one stored trace whose id starts with `given`; says why not (none, or several) and sets the exit code. */
async function resolveTraceId(ctx: CliContext, store: StoreAccess, given: string): Promise<string | undefined> {
  if (given.length === 32) return given;
  const found = await store.tracesWithIdPrefix(given, 6);
  if (found.length === 1) return found[0];
  if (found.length === 0) {
    ctx.err(`clnrm trace: no stored trace id starts with ${given} (in ${store.path}). List ids with \`clnrm traces\`.`);
    setExit(ctx, EXIT_FAILED);
  } else {
    const shown = found.slice(0, 5).join(', ') + (found.length > 5 ? ', …' : '');
    ctx.err(`clnrm trace: ${given} is the start of ${found.length > 5 ? 'more than 5' : found.length} trace ids (${shown}); give more characters.`);
    setExit(ctx, EXIT_USAGE);
  }
  return undefined;
}

export function registerTrace(program: Command, ctx: CliContext): void {
  program
    .command('trace')
    .description('Show one stored trace')
    .argument('<trace-id>', 'the trace id (32 hex characters, or its first 8 when no other trace starts the same)')
    .option('--data-dir <dir>', 'folder of the trace database (default: the app-data folder)')
    .option('--format <format>', 'text (tree), json (spans) or otlp (OTLP/JSON)', (v) => {
      if (!['text', 'json', 'otlp'].includes(v)) throw new InvalidArgumentError('use one of: text, json, otlp.');
      return v;
    }, 'text')
    .action(async (traceId: string, options: { dataDir?: string; format: 'text' | 'json' | 'otlp' }) => {
      const given = normaliseTraceIdPrefix(traceId);
      if (given === undefined) {
        ctx.err(`clnrm trace: "${traceId}" is not a trace id (32 hex characters, or the first 8 as the studio shows them). List ids with \`clnrm traces\`.`);
        setExit(ctx, EXIT_USAGE);
        return;
      }
      await withStore(ctx, 'trace', options.dataDir, async (store) => {
        const id = await resolveTraceId(ctx, store, given);
        if (id === undefined) return;
        const missing = () => {
          ctx.err(`clnrm trace: no trace ${id} in ${store.path}. List ids with \`clnrm traces\`.`);
          setExit(ctx, EXIT_FAILED);
        };
        // A local store is read a page at a time (its groups are empty for a trace it does not hold);
        // a running studio's answers with the whole trace.
        if (store instanceof TraceStore && options.format !== 'text') {
          const groups = await traceGroups(store, id);
          if (groups.length === 0) missing();
          else await writeLines(ctx, options.format === 'json' ? prettyJsonArrayLines(tracePages(store, id)) : prettyOtlpJsonLines(groups));
          return;
        }
        const spans = await store.getTrace(id);
        if (spans.length === 0) missing();
        else if (options.format === 'json') await writeLines(ctx, prettyJsonArrayLines([spans]));
        else if (options.format === 'otlp') await writeLines(ctx, prettyOtlpJsonLines(spanGroups(spans)));
        else {
          const first = Math.min(...spans.map((s) => s.startUs));
          const last = Math.max(...spans.map((s) => s.startUs + s.durationUs));
          ctx.out(`Trace ${id}: ${spans.length} spans, ${formatDurationUs(last - first)}`);
          for (const line of traceTreeLines(spans)) ctx.out(line);
        }
      });
    });
}
