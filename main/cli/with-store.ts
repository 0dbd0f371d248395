// Commands that read or write the trace database open it the same way: resolve the data folder; when a
// running studio holds it, use that studio's store through its store host (main/host) and say so in
// one stderr line; otherwise open the store (a folder held by a running `clnrm collect` is a usage
// error with its message), run, and always close it.
import { formatProblem, toProblem } from '../../shared/errors';
import { findStudioHost, type HostLookup } from '../host/host-client';
import { RemoteStore, type StoreAccess } from '../host/remote-store';
import { openStore, resolveDataDir } from '../store';
import { setExit, type CliContext } from './context';
import { EXIT_USAGE } from './exit';

/** The studio serving the folder, if any, with the notes a command prints about it. */
export async function lookUpStudio(ctx: CliContext, command: string, dataDir: string): Promise<HostLookup> {
  const found = await findStudioHost(dataDir);
  if (found.kind === 'none' && found.note !== undefined) ctx.err(`clnrm ${command}: note: ${found.note}`);
  if (found.kind === 'host') ctx.err(`clnrm ${command}: using the running studio's store (pid ${found.client.host.pid}, ${dataDir})`);
  return found;
}

export async function withStore(ctx: CliContext, command: string, dataDir: string | undefined, work: (store: StoreAccess) => Promise<void>): Promise<void> {
  const folder = resolveDataDir(dataDir, ctx.cwd, ctx.env);
  const studio = await lookUpStudio(ctx, command, folder);
  let store: StoreAccess;
  if (studio.kind === 'host') store = new RemoteStore(studio.client);
  else {
    try {
      const local = await openStore({ dataDir: folder });
      if (local.notice !== undefined) ctx.err(`clnrm ${command}: note: ${local.notice}`);
      store = local;
    } catch (error) {
      ctx.err(`clnrm ${command}: ${formatProblem(toProblem(error))}`);
      setExit(ctx, EXIT_USAGE);
      return;
    }
  }
  try {
    // A studio gone mid-command throws `host.unreachable`, which the CLI prints (exit 2).
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
