// Commands that read or write the trace database open it the same way: resolve the data folder,
// open the store (a folder held by a running `clnrm collect`/studio is a usage error with its
// message), run, and always close it.
import { formatProblem, toProblem } from '../../shared/errors';
import { openStore, resolveDataDir, type TraceStore } from '../store';
import { setExit, type CliContext } from './context';
import { EXIT_USAGE } from './exit';

export async function withStore(
  ctx: CliContext,
  command: string,
  dataDir: string | undefined,
  work: (store: TraceStore) => Promise<void>,
): Promise<void> {
  let store: TraceStore;
  try {
    store = await openStore({ dataDir: resolveDataDir(dataDir, ctx.cwd, ctx.env) });
  } catch (error) {
    ctx.err(`clnrm ${command}: ${formatProblem(toProblem(error))}`);
    setExit(ctx, EXIT_USAGE);
    return;
  }
  if (store.notice !== undefined) ctx.err(`clnrm ${command}: note: ${store.notice}`);
  try {
    await work(store);
  } finally {
    await store.dispose();
  }
}

/** A trace id as users type it (any case, surrounding spaces), or undefined when it is not one. */
export function normaliseTraceId(value: string): string | undefined {
  const id = value.trim().toLowerCase();
  return /^[0-9a-f]{32}$/.test(id) ? id : undefined;
}

/** A whole or short trace id (4 to 32 hex characters, as the studio shows 8), lowercased; else undefined. */
export function normaliseTraceIdPrefix(value: string): string | undefined {
  const id = value.trim().toLowerCase();
  return /^[0-9a-f]{4,32}$/.test(id) ? id : undefined;
}
