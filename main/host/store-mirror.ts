// Copies a `clnrm run`'s spans, history and baselines to the studio that holds the data folder, through its store
// host, as they happen: one ordered queue (a history write goes after every span queued before it), span
// batches coalesced while a call is in flight and sent in pieces the API accepts. The first failure
// (the studio quit or hung past the call's deadline) stops the copying: later spans are counted as
// lost at once, history writes reject with that failure, and `failure` / `lost` say so at the end.
// Baselines are read from the studio's store too: it keeps them, the run's store in memory does not.
import type { Span } from '../../shared/model';
import type { BaselineRecord } from '../../shared/perf/baseline';
import { MAX_INGEST_SPANS } from '../../shared/ipc/host-api';
import type { ContainerStatsRow, ExecutionRecord, RunRecord } from '../../shared/run/records';
import type { BaselineQuery, StoreMirror } from '../store';
import type { HostClient } from './host-client';

export class HostMirror implements StoreMirror {
  private chain: Promise<void> = Promise.resolve();
  private pending: Span[] = [];
  private flushQueued = false;
  private error: Error | undefined;
  private lostSpans = 0;
  private lostWrites = 0;
  private copied = 0;

  constructor(private readonly client: HostClient) {}

  /** Why copying stopped, if it did. */
  get failure(): Error | undefined {
    return this.error;
  }

  /** What did not reach the studio. */
  get lost(): { spans: number; historyWrites: number } {
    return { spans: this.lostSpans, historyWrites: this.lostWrites };
  }

  /** Spans the studio stored. */
  get copiedSpans(): number {
    return this.copied;
  }

  spans(spans: readonly Span[]): void {
    if (this.error) {
      this.lostSpans += spans.length;
      return;
    }
    for (const span of spans) this.pending.push(span);
    if (this.flushQueued) return;
    this.flushQueued = true;
    this.enqueue(() => this.flush());
  }

  drain(): Promise<void> {
    return this.chain;
  }

  recordRun(run: RunRecord): Promise<void> {
    return this.write(() => this.client.call('recordRun', run));
  }

  finishRun(id: string, patch: Partial<RunRecord>): Promise<void> {
    return this.write(() => this.client.call('finishRun', { id, patch }));
  }

  recordExecution(execution: ExecutionRecord): Promise<void> {
    return this.write(() => this.client.call('recordExecution', execution));
  }

  finishExecution(id: string, patch: Partial<ExecutionRecord>): Promise<void> {
    return this.write(() => this.client.call('finishExecution', { id, patch }));
  }

  addContainerStats(rows: ContainerStatsRow[]): Promise<void> {
    return this.write(() => this.client.call('addContainerStats', { rows }));
  }

  saveBaseline(baseline: BaselineRecord): Promise<void> {
    return this.write(() => this.client.call('saveBaseline', baseline));
  }

  /** In the queue's order, so a baseline saved just before is found; after a failure, that failure. */
  listBaselines(query: BaselineQuery): Promise<BaselineRecord[]> {
    return this.enqueue(async () => {
      if (this.error) throw this.error;
      return (await this.client.call('listBaselines', query)).baselines;
    });
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task);
    // The chain itself never rejects: a failure is kept in `error` and the task's own promise.
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Sends every span pending when it starts; spans arriving meanwhile queue the next flush. */
  private async flush(): Promise<void> {
    this.flushQueued = false;
    const spans = this.pending;
    this.pending = [];
    for (let i = 0; i < spans.length; i += MAX_INGEST_SPANS) {
      const piece = spans.slice(i, i + MAX_INGEST_SPANS);
      if (this.error) {
        this.lostSpans += piece.length;
        continue;
      }
      try {
        this.copied += (await this.client.ingest(piece)).stored;
      } catch (error) {
        this.error = error as Error;
        this.lostSpans += piece.length;
      }
    }
  }

  private write(call: () => Promise<unknown>): Promise<void> {
    return this.enqueue(async () => {
      if (this.error) {
        this.lostWrites++;
        throw this.error;
      }
      try {
        await call();
      } catch (error) {
        this.error = error as Error;
        this.lostWrites++;
        throw error;
      }
    });
  }
}
