// The trace store's public surface.
export { openStore, TraceStore, DEFAULT_MAX_BYTES, type StoreOptions, type StoreCounts, type StoreMirror } from './trace-store';
export type { ListTracesQuery, TraceFilter, TraceSummary, ServiceEdge, SpanStat, SpanFilter } from './queries';
export type { RunHistoryEntry } from './history';
export type { BaselineQuery } from './baselines';
export type { FaultWindowQuery, StoredFaultWindow } from './fault-windows';
export type { SpanBatch, SpanListener, SubscribeOptions } from './subscriptions';
export type { LiveQuery } from './live-index';
export { defaultDataDir, resolveDataDir } from './data-dir';
export { MAX_IMPORT_BYTES, type ImportResult } from './import-export';
export type { ImportOptions, ImportProgress } from './import-stream';
export type { TraceChunk, TraceChunkCursor } from './trace-chunks';
