// Where `clnrm suggest` and `clnrm generate` get the runs they learn from, as one list of sources:
// trace files (one run each), a Jaeger or Tempo query API (one run per trace), the passed executions of
// a test file's stored runs, the store's traces in a time range, a live collection window (the receiver on loopback), or a test file's
// `[intelligence.trace_analysis] sources` (file paths and globs relative to that file). Each source's
// runs are loaded in turn and put together.
import { dirname, isAbsolute, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { glob } from 'tinyglobby';
import { formatProblem, StudioError, toProblem } from '../../shared/errors';
import type { TraceSourceSetting } from '../../shared/intelligence/settings';
import { parseRemoteSource, runsFromRemote, type RemoteSource } from '../intelligence/remote-sources';
import { runsFromFiles, runsFromStore, runsFromStoredTraces, type LoadedRuns, type StoredRange } from '../intelligence/sources';
import { collectLive, type LiveWindow } from '../intelligence/live-window';
import { DEFAULT_GRPC_PORT, DEFAULT_HTTP_PORT } from '../receiver';
import type { CliContext } from './context';
import { displayPath } from './display-path';
import { withStore } from './with-store';

export type LearnSource =
  | { readonly kind: 'files'; readonly files: readonly { path: string; shown: string }[] }
  | { readonly kind: 'remote'; readonly remote: RemoteSource; readonly service: string; readonly limit: number; readonly sinceUs?: number; readonly untilUs?: number }
  | { readonly kind: 'store'; readonly testFile: string; readonly runs: number; readonly dataDir?: string }
  | ({ readonly kind: 'range'; readonly dataDir?: string } & StoredRange)
  | ({ readonly kind: 'live' } & LiveWindow);

export const DEFAULT_REMOTE_LIMIT = 20;
/** Traces read from the store for a time range when --limit is not given. */
export const DEFAULT_RANGE_LIMIT = 100;
const MAX_RANGE_LIMIT = 10_000;
const MAX_LIVE_SECONDS = 3600;

export interface LiveOptions {
  live?: number;
  httpPort?: number;
  grpcPort?: number;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n <= 0 || n > MAX_LIVE_SECONDS) throw new InvalidArgumentError(`give the window in seconds, more than 0 and at most ${MAX_LIVE_SECONDS}.`);
  return n;
}

function port(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535 (0 = any free port).');
  return Number(value);
}

const AGO: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * `--since` / `--until`: a date-time (ISO 8601, e.g. 2026-12-07T14:00:00Z; without a zone, local time) or a
 * time ago (`90s`, `30m`, `2h`, `7d`), as µs since the epoch. `now` is injectable for tests.
 */
export function timeArg(value: string, now = Date.now()): number {
  const ago = /^(\d+)([smhd])$/.exec(value.trim());
  if (ago) return (now - Number(ago[1]) * AGO[ago[2]!]! * 1000) * 1000;
  const at = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(value.trim()) ? Date.parse(value.trim()) : NaN;
  if (Number.isNaN(at)) throw new InvalidArgumentError('give a date-time like 2026-12-07T14:00:00Z, or a time ago like 90s, 30m, 2h or 7d.');
  return at * 1000;
}

/** `--since/--until`: `to` not before `from`, else a usage problem. */
export function rangeUsageProblem(options: { since?: number; until?: number }): string | undefined {
  if (options.since !== undefined && options.until !== undefined && options.until < options.since) return '--until is before --since; give the start first, then a later end';
  return undefined;
}

export function rangeSource(options: { since?: number; until?: number; service?: string; limit?: number; dataDir?: string }): LearnSource {
  return {
    kind: 'range',
    ...(options.since !== undefined ? { sinceUs: options.since } : {}),
    ...(options.until !== undefined ? { untilUs: options.until } : {}),
    ...(options.service !== undefined ? { service: options.service } : {}),
    limit: Math.min(options.limit ?? DEFAULT_RANGE_LIMIT, MAX_RANGE_LIMIT),
    ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
  };
}

/** `--live SECONDS [--http-port P] [--grpc-port Q]`, the same on suggest and generate. */
export function addLiveOptions(command: Command): Command {
  return command
    .option('--live <seconds>', 'learn from spans received during a live window of this many seconds (OTLP on 127.0.0.1; Ctrl-C ends it early); one run per clnrm.run_id, else per trace', seconds)
    .option('--http-port <port>', `with --live: OTLP/HTTP port (default ${DEFAULT_HTTP_PORT}; 0 = any free port)`, port)
    .option('--grpc-port <port>', `with --live: OTLP/gRPC port (default ${DEFAULT_GRPC_PORT}; 0 = any free port)`, port);
}

/** A usage problem with the live options, if any: ports only mean something with a window. */
export function liveUsageProblem(options: LiveOptions): string | undefined {
  if (options.live === undefined && (options.httpPort !== undefined || options.grpcPort !== undefined)) return '--http-port/--grpc-port go with --live SECONDS (the receiver of a live window)';
  return undefined;
}

export function liveSource(options: LiveOptions): LearnSource {
  return { kind: 'live', seconds: options.live!, httpPort: options.httpPort ?? DEFAULT_HTTP_PORT, grpcPort: options.grpcPort ?? DEFAULT_GRPC_PORT };
}

const sourceError = (message: string, file?: string) => new StudioError({ code: 'suggest.source', message, ...(file ? { file } : {}) });

/** Files as given on the command line, relative to the working folder. */
export function fileSource(ctx: CliContext, files: readonly string[]): LearnSource {
  return { kind: 'files', files: files.map((f) => ({ path: isAbsolute(f) ? f : resolve(ctx.cwd, f), shown: f })) };
}

async function matching(ctx: CliContext, pattern: string, base: string, shownFile: string): Promise<LearnSource> {
  const found = (await glob(pattern, { cwd: base, absolute: true, onlyFiles: true })).sort();
  if (found.length === 0) throw sourceError(`no trace file matches "${pattern}" (relative to ${displayPath(ctx.cwd, base) || '.'})`, shownFile);
  return { kind: 'files', files: found.map((path) => ({ path, shown: displayPath(ctx.cwd, path) })) };
}

/**
 * A test file's configured sources. `service` (the command's --service) stands in where a Jaeger or
 * Tempo source names none; `otlp` sources are refused (validate warns that they are not read yet).
 */
export async function configuredSources(ctx: CliContext, settings: readonly TraceSourceSetting[], testPath: string, service: string | undefined, dataDir: string | undefined): Promise<LearnSource[]> {
  const shownFile = displayPath(ctx.cwd, testPath);
  const out: LearnSource[] = [];
  for (const [i, s] of settings.entries()) {
    const where = `[intelligence.trace_analysis] sources[${i}]`;
    if (s.type === 'file') out.push(await matching(ctx, s.path!, dirname(testPath), shownFile));
    else if (s.type === 'store') out.push({ kind: 'store', testFile: testPath, runs: s.runs!, ...(dataDir ? { dataDir } : {}) });
    else if (s.type === 'otlp') throw sourceError(`${where}: otlp sources are not read yet; collect live with --live SECONDS instead`, shownFile);
    else {
      const svc = s.service ?? service;
      if (!svc) throw sourceError(`${where}: a ${s.type} source needs service = "..." (or --service S): the service whose traces to fetch`, shownFile);
      let remote: RemoteSource;
      try {
        remote = parseRemoteSource(`${s.type}:${s.endpoint!}`);
      } catch (error) {
        throw sourceError(`${where}: ${(error as Error).message}`, shownFile);
      }
      out.push({ kind: 'remote', remote, service: svc, limit: s.limit ?? DEFAULT_REMOTE_LIMIT });
    }
  }
  return out;
}

/** Loads every source in order; undefined when the store could not be opened (the error is printed). */
export async function loadLearnSources(ctx: CliContext, command: string, sources: readonly LearnSource[]): Promise<LoadedRuns | undefined> {
  const all: LoadedRuns = { runs: [], warnings: [], notes: [] };
  for (const source of sources) {
    let loaded: LoadedRuns | undefined;
    if (source.kind === 'files') loaded = await runsFromFiles(source.files);
    else if (source.kind === 'remote') {
      const range = { ...(source.sinceUs !== undefined ? { sinceUs: source.sinceUs } : {}), ...(source.untilUs !== undefined ? { untilUs: source.untilUs } : {}) };
      loaded = await runsFromRemote(source.remote, { service: source.service, limit: source.limit, ...range });
    }
    else if (source.kind === 'live') {
      loaded = await collectLive(source, {
        onListening: (http, grpc) => ctx.err(`clnrm ${command}: collecting spans for ${source.seconds} s: OTLP/HTTP ${http}, OTLP/gRPC ${grpc} (Ctrl-C ends the window early)`),
        stopSignal: ctx.stopSignal,
        onError: (e) => ctx.err(`clnrm ${command}: ${formatProblem(toProblem(e))}`),
      });
    } else {
      await withStore(ctx, command, source.dataDir, async (store) => {
        loaded = source.kind === 'store' ? await runsFromStore(store, source.testFile, source.runs) : await runsFromStoredTraces(store, source);
      });
      if (!loaded) return undefined;
    }
    all.runs.push(...loaded.runs);
    all.warnings.push(...loaded.warnings);
    all.notes.push(...loaded.notes);
  }
  const seen = new Set<string>();
  for (const run of all.runs) {
    if (seen.has(run.id)) throw sourceError(`run ${run.id} is given twice (two sources name the same trace or file); give each once`);
    seen.add(run.id);
  }
  return all;
}
