// The store as CLI commands (`traces`, `trace`, `runs`, `import`, `export`, `perf`) use it, in two forms: the
// local TraceStore on a folder no studio holds, and RemoteStore, the same calls answered by the studio
// that holds the folder (./host-client.ts). Commands are written against StoreAccess only.
import { isAbsolute, resolve } from 'node:path';
import { StudioError } from '../../shared/errors';
import type { Span } from '../../shared/model';
import type { HostRequest } from '../../shared/ipc/host-api';
import type { RunQuery } from '../../shared/run/records';
import type { BaselineRecord } from '../../shared/perf/baseline';
import type { BaselineQuery, ImportResult, ListTracesQuery, RunHistoryEntry, TraceStore, TraceSummary } from '../store';
import type { HostClient } from './host-client';

export type StoreAccess = Pick<
  TraceStore,
  | 'path' | 'listTraces' | 'getTrace' | 'getSpans' | 'tracesWithIdPrefix' | 'listRuns' | 'getRun' | 'importFile' | 'exportTraces'
  | 'saveBaseline' | 'listBaselines' | 'deleteBaseline' | 'dispose'
>;

/** A Date becomes ISO text on the wire (the store reads both). */
function wireQuery(query: ListTracesQuery): HostRequest<'listTraces'> {
  const { since, until, executionIds, ...rest } = query;
  const bound = (v: number | Date | string | undefined) => (v instanceof Date ? v.toISOString() : v);
  return {
    ...rest,
    ...(executionIds !== undefined ? { executionIds: [...executionIds] } : {}),
    ...(since !== undefined ? { since: bound(since) } : {}),
    ...(until !== undefined ? { until: bound(until) } : {}),
  };
}

export class RemoteStore implements StoreAccess {
  constructor(private readonly client: HostClient) {}

  get path(): string {
    return this.client.path;
  }

  async listTraces(query: ListTracesQuery = {}): Promise<{ traces: TraceSummary[]; total: number }> {
    return this.client.call('listTraces', wireQuery(query));
  }

  async getTrace(traceId: string): Promise<Span[]> {
    return (await this.client.call('getTrace', { traceId })).spans;
  }

  /** The spans of these traces (not 'all': a whole store is exported, not read through here). */
  async getSpans(traceIds: readonly string[] | 'all'): Promise<Span[]> {
    if (traceIds === 'all') throw new StudioError({ code: 'internal', message: 'A running studio lends its spans by trace id, not all at once.' });
    return (await this.client.call('getSpans', { traceIds: [...traceIds] })).spans;
  }

  async getRun(id: string): Promise<RunHistoryEntry | undefined> {
    return (await this.client.call('getRun', { id })).run;
  }

  async tracesWithIdPrefix(prefix: string, limit = 10): Promise<string[]> {
    return (await this.client.call('tracesWithIdPrefix', { prefix: prefix.toLowerCase(), limit })).ids;
  }

  async listRuns(query: RunQuery = {}): Promise<RunHistoryEntry[]> {
    return (await this.client.call('listRuns', query)).runs;
  }

  /** Newest first, from the studio's store (`clnrm perf history`'s baseline band). */
  async listBaselines(query: BaselineQuery = {}): Promise<BaselineRecord[]> {
    return (await this.client.call('listBaselines', query)).baselines;
  }

  saveBaseline(baseline: BaselineRecord): Promise<void> {
    return this.client.call('saveBaseline', baseline).then(() => undefined);
  }

  async deleteBaseline(id: string): Promise<boolean> {
    return (await this.client.call('deleteBaseline', { id })).deleted;
  }

  /** The studio reads the file: the path is made absolute here, where it was given. */
  importFile(path: string): Promise<ImportResult> {
    return this.client.call('importFile', { path: isAbsolute(path) ? path : resolve(path) });
  }

  exportTraces(ids: readonly string[] | 'all', format: 'otlp-json' | 'otlp-jsonl' = 'otlp-json'): Promise<{ text: string; spans: number; missing: string[] }> {
    return this.client.call('exportTraces', { ids: ids === 'all' ? 'all' : [...ids], format });
  }

  /** Nothing to close: each call is its own request. */
  async dispose(): Promise<void> {}
}
