// A CLI command's side of the store host: finds the studio that holds a data folder (its host file,
// then a `hello` that must name the same pid and folder) and calls its API. Every answer is checked
// against the call's schema; a studio that stops answering (gone, or hung past the call's deadline)
// is a `host.unreachable` error naming it, never a hang.
import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { StudioError } from '../../shared/errors';
import { hostCalls, HostReplySchema, INGEST_CONTENT_TYPE, type HostCallName, type HostFile, type HostRequest, type HostResponse } from '../../shared/ipc/host-api';
import type { Span } from '../../shared/model';
import { encodeOtlpProtobuf } from '../../shared/otlp';
import { readHostFile } from './host-file';

/** Deadline of a call that reads or writes a little (ms). */
export const CALL_TIMEOUT_MS = 30_000;
/** Deadline of `hello`: a studio that cannot say who it is this fast is treated as gone. */
export const HELLO_TIMEOUT_MS = 3_000;
/** Imports and exports move whole files. */
const LONG_CALLS: ReadonlySet<HostCallName> = new Set(['importFile', 'exportTraces']);
const LONG_TIMEOUT_MS = 10 * 60_000;

export class HostClient {
  constructor(
    readonly host: HostFile,
    /** The store's database file, as the studio names it. */
    readonly path: string,
  ) {}

  /** "the studio (pid N, /data)": how messages name it. */
  get label(): string {
    return `the studio (pid ${this.host.pid}, ${this.host.dataDir})`;
  }

  /** A JSON call (every call but `ingest`). */
  call<N extends Exclude<HostCallName, 'ingest'>>(name: N, request: HostRequest<N>, timeoutMs = LONG_CALLS.has(name) ? LONG_TIMEOUT_MS : CALL_TIMEOUT_MS): Promise<HostResponse<N>> {
    return this.post(name, JSON.stringify(request), 'application/json', timeoutMs);
  }

  /** Stores spans in the studio: sent as OTLP protobuf, which the studio keeps as it came. */
  ingest(spans: readonly Span[], timeoutMs = CALL_TIMEOUT_MS): Promise<HostResponse<'ingest'>> {
    return this.post('ingest', new Uint8Array(encodeOtlpProtobuf(spans)), INGEST_CONTENT_TYPE, timeoutMs);
  }

  private async post<N extends HostCallName>(name: N, body: string | Uint8Array<ArrayBuffer>, contentType: string, timeoutMs: number): Promise<HostResponse<N>> {
    let text: string;
    let status: number;
    try {
      const response = await fetch(`${this.host.url}/v1/${name}`, {
        method: 'POST',
        headers: { 'content-type': contentType, authorization: `Bearer ${this.host.secret}` },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      const why = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : causeOf(error);
      throw new StudioError({ code: 'host.unreachable', message: `${this.label} stopped answering (${why}) during ${name}. Is it still running? Run the command again once it is back, or after it has quit.` });
    }
    return this.answer(name, status, text);
  }

  private answer<N extends HostCallName>(name: N, status: number, text: string): HostResponse<N> {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new StudioError({ code: 'ipc.invalid', message: `${this.label} answered ${name} with HTTP ${status} and no JSON: ${text.slice(0, 200)}` });
    }
    const reply = HostReplySchema.safeParse(body);
    if (!reply.success) throw new StudioError({ code: 'ipc.invalid', message: `${this.label} answered ${name} with something that is not a reply (HTTP ${status})` });
    if (!reply.data.ok) throw new StudioError({ code: reply.data.error.code, message: reply.data.error.message, ...(reply.data.error.details ? { details: reply.data.error.details } : {}) });
    const value = hostCalls[name].response.safeParse(reply.data.value);
    if (!value.success) {
      const issue = value.error.issues[0];
      throw new StudioError({ code: 'ipc.invalid', message: `${this.label} answered ${name} with an invalid value: ${issue?.path.join('.') || 'value'}: ${issue?.message ?? 'unknown problem'}` });
    }
    return value.data as HostResponse<N>;
  }
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

/** A folder by its real path (one reached through a symbolic link is the same folder). */
async function samePlace(folder: string): Promise<string> {
  return realpath(folder).catch(() => resolve(folder));
}

export type HostLookup =
  | { readonly kind: 'host'; readonly client: HostClient }
  /** No studio holds the folder (no host file, or a stale one): open it directly. */
  | { readonly kind: 'none'; readonly note?: string };

/**
 * The studio serving `dataDir`, if one does: its host file must be trustworthy, and the process behind
 * its address must answer `hello` with the same pid and folder within HELLO_TIMEOUT_MS. A file that
 * cannot be trusted, or a studio that does not answer, is reported in `note` and ignored.
 */
export async function findStudioHost(dataDir: string): Promise<HostLookup> {
  const read = await readHostFile(dataDir);
  if (read.kind === 'none') return { kind: 'none' };
  if (read.kind !== 'found') return { kind: 'none', note: `ignoring ${read.kind} host file: ${read.reason}` };
  const probe = new HostClient(read.host, '');
  try {
    const hello = await probe.call('hello', {}, HELLO_TIMEOUT_MS);
    if (hello.pid !== read.host.pid || (await samePlace(hello.dataDir)) !== (await samePlace(dataDir))) {
      return { kind: 'none', note: `ignoring the host file ${read.path}: its address is answered by pid ${hello.pid} for ${hello.dataDir}` };
    }
    return { kind: 'host', client: new HostClient(read.host, hello.path) };
  } catch (error) {
    return { kind: 'none', note: `ignoring the host file ${read.path}: ${(error as Error).message}` };
  }
}
