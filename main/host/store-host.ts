// Makes a studio the host of the data folder it opened: serves its store to CLI commands
// (./host-server.ts, ./host-handlers.ts) and publishes where in the folder's host file
// (./host-file.ts). The studio holds the folder's database lock by then, so any host file already
// there is stale and is replaced. `dispose()` removes the file, then stops the server.
import type { EventHub } from '../studio/events';
import type { TraceStore } from '../store';
import { removeHostFile, writeHostFile } from './host-file';
import { createHostHandlers } from './host-handlers';
import { startHostServer } from './host-server';

export interface StoreHost {
  /** The host file. */
  readonly file: string;
  readonly url: string;
  dispose(): Promise<void>;
}

export async function hostStore(store: TraceStore, hub: EventHub, dataDir: string, onError?: (error: unknown) => void): Promise<StoreHost> {
  const server = await startHostServer(createHostHandlers(store, hub, dataDir), onError);
  let file: string;
  try {
    file = await writeHostFile(dataDir, { pid: process.pid, url: server.url, secret: server.secret, dataDir, startedAt: Date.now() });
  } catch (error) {
    await server.close();
    throw error;
  }
  let disposed: Promise<void> | undefined;
  return {
    file,
    url: server.url,
    dispose: () =>
      (disposed ??= (async () => {
        // The file first: a command starting now opens the folder itself once the studio lets go.
        await removeHostFile(dataDir, server.secret).catch((error: unknown) => onError?.(error));
        await server.close();
      })()),
  };
}
