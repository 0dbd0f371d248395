// How a TraceStore reaches its StoreEngine: directly in this thread, or through a writer thread
// (worker_threads) that owns the database, so appends and flushes use the second core while
// this thread receives and decodes. Both give the same calls; results of the threaded one
// arrive in message order, so a query posted after a flush sees what the flush wrote.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { StudioError } from '../../shared/errors';
import { errorFromWire, type FromWorker, type ToWorker } from './engine-wire';
import type { RowBatch } from './row-batch';
import { StoreEngine, type EngineCall, type EngineCallArgs, type EngineCallResult, type EngineInit, type EngineOpenOptions, type PersistErrorHandler } from './store-engine';

export interface StoreBackend {
  readonly init: EngineInit;
  addOrigin(id: number, resource: string, scope: string): void;
  appendRows(batch: RowBatch): void;
  flush(): void;
  /** Rows handed over but not yet appended (always 0 in this thread). */
  readonly backlog: number;
  /** Resolves once the backlog is at most `rows`. */
  backlogAtMost(rows: number): Promise<void>;
  call<K extends EngineCall>(name: K, ...args: EngineCallArgs<K>): Promise<EngineCallResult<K>>;
  close(): Promise<void>;
}

export async function openDirectBackend(options: EngineOpenOptions, onPersistError: PersistErrorHandler): Promise<StoreBackend> {
  const engine = await StoreEngine.open(options, onPersistError);
  return {
    init: engine.init,
    addOrigin: (id, resource, scope) => engine.addOrigin(id, resource, scope),
    appendRows: (batch) => engine.appendRows(batch),
    flush: () => engine.flush(),
    backlog: 0,
    backlogAtMost: () => Promise.resolve(),
    call: (name, ...args) => (engine[name] as (...a: unknown[]) => Promise<never>).apply(engine, args),
    close: async () => engine.close(),
  };
}

/** Starts a worker thread from `entry` (a .js bundle, or the .ts source under tsx in development). */
export function startWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (entry.pathname.endsWith('.ts')) {
    // Development and tests run TypeScript through tsx: register its loader inside the thread first.
    // tsx is resolved from the entry's folder, whatever the process's working directory.
    // Its ESM entry (the "import" condition), read from its package.json: require.resolve would
    // give the CommonJS one.
    const pkgPath = createRequire(entry).resolve('tsx/package.json');
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
    const tsx = pathToFileURL(join(dirname(pkgPath), pkg.exports['./esm/api']!.import.default)).href;
    const code = `import(${JSON.stringify(tsx)}).then((api) => api.register()).then(() => import(${JSON.stringify(entry.href)}))`;
    return new Worker(code, { ...options, eval: true });
  }
  return new Worker(fileURLToPath(entry), options);
}

export function openThreadBackend(entry: URL, options: EngineOpenOptions, onPersistError: PersistErrorHandler): Promise<StoreBackend> {
  const worker = startWorker(entry);
  const pending = new Map<number, { resolve: (v: never) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let dead: Error | undefined;
  let closed: (() => void) | undefined;
  let backlog = 0;
  let backlogWaiters: Array<{ rows: number; resolve: () => void }> = [];
  const settleBacklog = (): void => {
    if (backlogWaiters.length === 0) return;
    const still: typeof backlogWaiters = [];
    for (const w of backlogWaiters) {
      if (backlog <= w.rows || dead) w.resolve();
      else still.push(w);
    }
    backlogWaiters = still;
  };
  const post = (msg: ToWorker, transfer?: ArrayBuffer[]): void => {
    if (dead) throw dead;
    worker.postMessage(msg, transfer);
  };
  return new Promise<StoreBackend>((resolveOpen, rejectOpen) => {
    const fail = (error: Error): void => {
      dead ??= error;
      rejectOpen(error);
      for (const p of pending.values()) p.reject(error);
      pending.clear();
      settleBacklog();
    };
    worker.on('error', (e) => fail(new StudioError({ code: 'store.failed', message: `The trace store's writer thread failed: ${e.message}` })));
    worker.on('exit', (code) => {
      closed?.();
      fail(new StudioError({ code: 'store.failed', message: `The trace store's writer thread stopped (exit code ${code}).` }));
    });
    worker.on('message', (msg: FromWorker) => {
      switch (msg.t) {
        case 'opened':
          resolveOpen(backend(msg.init));
          return;
        case 'openFailed':
          void worker.terminate();
          fail(errorFromWire(msg.error));
          return;
        case 'result':
        case 'failed': {
          const p = pending.get(msg.id);
          pending.delete(msg.id);
          if (msg.t === 'result') p?.resolve(msg.value as never);
          else p?.reject(errorFromWire(msg.error));
          return;
        }
        case 'appended':
          backlog -= msg.rows;
          settleBacklog();
          return;
        case 'persistError':
          onPersistError(msg.rows, errorFromWire(msg.error));
          return;
        case 'closed':
          return;
      }
    });
    worker.postMessage({ t: 'open', options } satisfies ToWorker);
  });

  function backend(init: EngineInit): StoreBackend {
    return {
      init,
      addOrigin: (id, resource, scope) => post({ t: 'origin', id, resource, scope }),
      appendRows: (batch) => {
        // The buffers move to the writer thread (no copy); this thread is done with them.
        const transfer = [batch.data.buffer as ArrayBuffer, batch.ranges.buffer as ArrayBuffer, batch.origins.buffer as ArrayBuffer];
        post({ t: 'rows', batch }, [...new Set(transfer)]);
        backlog += batch.count;
      },
      flush: () => post({ t: 'flush' }),
      get backlog() {
        return backlog;
      },
      backlogAtMost: (rows) =>
        new Promise<void>((resolve) => {
          backlogWaiters.push({ rows, resolve });
          settleBacklog();
        }),
      call: (name, ...args) =>
        new Promise((resolve, reject) => {
          if (dead) return reject(dead);
          const id = nextId++;
          pending.set(id, { resolve: resolve as (v: never) => void, reject });
          worker.postMessage({ t: 'call', id, name, args } satisfies ToWorker);
        }),
      close: () =>
        new Promise<void>((resolve) => {
          if (dead) return resolve();
          closed = resolve;
          worker.postMessage({ t: 'close' } satisfies ToWorker);
        }),
    };
  }
}
