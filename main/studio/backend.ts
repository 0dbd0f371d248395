// The studio back end as one disposable object: the trace store, the OTLP receiver feeding it,
// the contract handlers, the event hub pushing spans and run progress to every connected UI, and
// the runner, and — with a data folder on disk — the store host that lets CLI commands on that folder
// use this store (main/host). The Electron shell and `clnrm studio` each own one; `dispose()` stops
// runs, withdraws the store host, drains the receiver into the store and closes the store, in that order.
import { streamTrace, type TraceStreamer } from './trace-stream';
import { StudioError } from '../../shared/errors';
import type { StudioHandlers } from '../../shared/ipc/contract';
import { hostStore, type StoreHost } from '../host/store-host';
import { createReceiver, type AckMode, type Receiver } from '../receiver';
import { openStore, type TraceStore } from '../store';
import { loadDemo, type DemoResult } from './demo';
import { EventHub, forwardSpans } from './events';
import { createStudioHandlers, type StudioRunner } from './handlers';
import { TraceUploads } from './trace-upload';
import { createStudioRunner } from './studio-runner';
import type { FolderPicker } from './test-files';
import { UserPaths } from './user-paths';

export interface StudioBackendOptions {
  /** Folder of the trace database (see resolveDataDir); ignored with `inMemory`. */
  dataDir?: string;
  inMemory?: boolean;
  /** Receiver address and ports (0 = any free port, false = off). Defaults 127.0.0.1, 4318, 4317. */
  receiverHost?: string;
  httpPort?: number | false;
  grpcPort?: number | false;
  /** When senders are answered; default `stored` (after the spans are committed). */
  ack?: AckMode;
  cwd: string;
  env: Record<string, string | undefined>;
  /**
   * Folders the page may read and run from before the user opens any (default: `cwd`, where
   * `clnrm studio` was started). The desktop passes none: its folders come from its dialogs.
   */
  roots?: readonly string[];
  pickFolder?: FolderPicker;
  /** Builds the runner once the hub exists (it reports progress through it); default: main/runner on Docker. */
  createRunner?: (ctx: { store: TraceStore; hub: EventHub }) => StudioRunner | Promise<StudioRunner>;
  onError?: (error: unknown) => void;
  /**
   * Run the database in a writer thread started from this entry (`writerThreadEntry()`), so
   * ingest and queries leave the thread that serves the UI. Default: this thread.
   */
  writerThread?: URL;
  /** Where the first-start demo's sample traces and the example tests are. */
  demo?: { samplesDir: string; examplesDir: string };
}

/** `http://host:port` of each receiver protocol that is on (what an SDK's endpoint setting takes). */
function receiverUrls(receiver: Receiver): { http?: string; grpc?: string } {
  const host = receiver.host.includes(':') ? `[${receiver.host}]` : receiver.host;
  return {
    ...(receiver.http ? { http: `http://${host}:${receiver.http.port}` } : {}),
    ...(receiver.grpc ? { grpc: `http://${host}:${receiver.grpc.port}` } : {}),
  };
}

export class StudioBackend {
  private disposed: Promise<void> | undefined;

  private constructor(
    readonly store: TraceStore,
    readonly receiver: Receiver | undefined,
    readonly hub: EventHub,
    readonly handlers: StudioHandlers,
    /** The folders and files the user chose (the desktop's dialogs add to it). */
    readonly paths: UserPaths,
    private readonly runner: StudioRunner,
    private readonly stopForwarding: () => void,
    private readonly uploads: TraceUploads,
    private readonly demo: StudioBackendOptions['demo'],
    /** Where CLI commands reach this store (absent in memory, or when it could not be published). */
    readonly storeHost: StoreHost | undefined,
  ) {}

  /** getTrace as binary frames, for the WebSocket and the desktop IPC (./trace-stream.ts). */
  readonly traceStream: TraceStreamer = (request, streamId, send) => streamTrace(this.store, request, streamId, send);

  /** True when the store holds no trace (a first start): the UI offers the demo then. */
  async isEmpty(): Promise<boolean> {
    return (await this.store.listTraces({ limit: 1 })).total === 0;
  }

  /** Imports the bundled sample traces; answers where the example test files are. */
  async loadDemo(): Promise<DemoResult> {
    if (!this.demo) throw new StudioError({ code: 'io.read', message: 'This studio was started without the bundled samples.' });
    return loadDemo(this.store, this.demo.samplesDir, this.demo.examplesDir);
  }

  static async open(options: StudioBackendOptions): Promise<StudioBackend> {
    const onError = options.onError ?? (() => undefined);
    const store = await openStore({
      ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
      ...(options.writerThread !== undefined ? { writerThread: options.writerThread } : {}),
      inMemory: options.inMemory ?? false,
      onError,
    });
    let receiver: Receiver | undefined;
    let runner: StudioRunner;
    const hub = new EventHub(onError);
    try {
      if (options.httpPort !== false || options.grpcPort !== false) {
        receiver = await createReceiver({
          sink: store.receive,
          ...((options.ack ?? 'stored') === 'stored' ? { commit: store.commit } : {}),
          host: options.receiverHost ?? '127.0.0.1',
          httpPort: options.httpPort ?? 4318,
          grpcPort: options.grpcPort ?? 4317,
          onError,
        });
      }
      runner = options.createRunner ? await options.createRunner({ store, hub }) : createStudioRunner({ store, hub, cwd: options.cwd, env: options.env });
    } catch (error) {
      await receiver?.dispose();
      await store.dispose();
      throw error;
    }
    const paths = new UserPaths(options.cwd);
    // The bundled examples are the app's own: the first-run screen opens them.
    for (const root of [...(options.roots ?? [options.cwd]), ...(options.demo ? [options.demo.examplesDir] : [])]) await paths.addRoot(root);
    const uploads = new TraceUploads(store);
    const handlers = createStudioHandlers({
      store,
      paths,
      uploads,
      env: options.env,
      ...(options.pickFolder ? { pickFolder: options.pickFolder } : {}),
      runner,
      ...(options.demo ? { demo: options.demo } : {}),
      ...(receiver ? { receiver: receiverUrls(receiver) } : {}),
    });
    const stopForwarding = forwardSpans(store, hub);
    // A folder on disk is served to CLI commands; a studio that cannot host it still runs (and says why).
    const host = options.dataDir !== undefined && !options.inMemory ? await hostStore(store, hub, options.dataDir, onError).catch(onError) : undefined;
    return new StudioBackend(store, receiver, hub, handlers, paths, runner, stopForwarding, uploads, options.demo, host ?? undefined);
  }

  /** Idempotent; every caller awaits the same shutdown. */
  dispose(): Promise<void> {
    this.disposed ??= (async () => {
      this.hub.clear();
      try {
        await this.storeHost?.dispose();
        await this.runner.dispose();
      } finally {
        await this.receiver?.dispose();
        this.stopForwarding();
        this.uploads.dispose();
        await this.store.dispose();
      }
    })();
    return this.disposed;
  }
}
