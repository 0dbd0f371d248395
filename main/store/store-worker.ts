// The writer thread's entry: opens a StoreEngine and serves it over messages (see
// engine-backend.ts for the other end). Appends and flushes run here, off the ingesting thread.
import { parentPort } from 'node:worker_threads';
import { StoreEngine, type EngineCall } from './store-engine';
import { errorToWire, type ToWorker } from './engine-wire';

const port = parentPort;
if (!port) throw new Error('store-worker.ts runs only as a worker thread');

let engine: StoreEngine | undefined;
const onPersistError = (rows: number, error: unknown): void => port.postMessage({ t: 'persistError', rows, error: errorToWire(error) });

port.on('message', (msg: ToWorker) => {
  switch (msg.t) {
    case 'open':
      StoreEngine.open(msg.options, onPersistError).then(
        (e) => {
          engine = e;
          port.postMessage({ t: 'opened', init: e.init });
        },
        (error: unknown) => port.postMessage({ t: 'openFailed', error: errorToWire(error) }),
      );
      return;
    case 'origin':
      engine!.addOrigin(msg.id, msg.resource, msg.scope);
      return;
    case 'rows':
      engine!.appendRows(msg.batch);
      // Tells the store how far behind this thread is, so the receiver can push back.
      port.postMessage({ t: 'appended', rows: msg.batch.count });
      return;
    case 'flush':
      engine!.flush();
      return;
    case 'call': {
      const fn = engine![msg.name as EngineCall] as (...args: unknown[]) => Promise<unknown>;
      fn.apply(engine, msg.args).then(
        (value) => port.postMessage({ t: 'result', id: msg.id, value }),
        (error: unknown) => port.postMessage({ t: 'failed', id: msg.id, error: errorToWire(error) }),
      );
      return;
    }
    case 'close':
      try {
        engine?.close();
      } catch (error) {
        onPersistError(0, error);
      }
      port.postMessage({ t: 'closed' });
      port.close();
      return;
  }
});
