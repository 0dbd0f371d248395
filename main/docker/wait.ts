// Readiness: a service's dependents start only once its wait strategies hold. Each strategy has a time
// bound; a timeout is `docker.wait-timeout` naming the service, what it waited for and what was last
// seen; a container that exits while we wait is `docker.failed` with its evidence.
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import type Docker from 'dockerode';
import { StudioError } from '../../shared/errors';
import { collectEvidence, describeEvidence } from './evidence';
import { execInContainer } from './exec';
import { LineSplitter } from './output';

export type WaitStrategy =
  /** A TCP connection to the container port (through its published host port) is accepted and held. */
  | { readonly kind: 'port'; readonly port: number; readonly timeoutMs?: number }
  /** A log line (stdout or stderr) matches. Strings are regular expressions. */
  | { readonly kind: 'log'; readonly pattern: string | RegExp; readonly timeoutMs?: number }
  /** A command exec'd in the container exits 0 (clnrm `health_check`). */
  | { readonly kind: 'health'; readonly cmd: readonly string[]; readonly intervalMs?: number; readonly retries?: number; readonly tryTimeoutMs?: number; readonly timeoutMs?: number }
  /** A span with this name was received for this run (clnrm `wait_for_span`); needs a `SpanWaiter`. */
  | { readonly kind: 'span'; readonly name: string; readonly timeoutMs?: number };

/**
 * Provided by the runner: resolves once a span named `spanName` from this run (and service, if the
 * runner can tell) has been received; must stop waiting when `signal` aborts.
 */
export type SpanWaiter = (request: { readonly executionId: string; readonly service: string; readonly spanName: string; readonly signal: AbortSignal }) => Promise<void>;

export interface WaitContext {
  readonly docker: Docker;
  readonly executionId: string;
  readonly service: string;
  readonly containerId: string;
  /** Host port published for a container port (undefined when the port is not published). */
  readonly hostPort: (containerPort: number) => number | undefined;
  /** Where published ports are reachable from here. */
  readonly hostAddress: string;
  readonly spanWaiter?: SpanWaiter;
}

export const DEFAULT_WAIT_TIMEOUT_MS = 30_000;

export function describeStrategy(s: WaitStrategy): string {
  switch (s.kind) {
    case 'port':
      return `port ${s.port} to accept connections`;
    case 'log':
      return `a log line matching ${s.pattern instanceof RegExp ? String(s.pattern) : `/${s.pattern}/`}`;
    case 'health':
      return `health check ${JSON.stringify(s.cmd)} to exit 0`;
    case 'span':
      return `a span named "${s.name}"`;
  }
}

/** What a waiter saw last, for the timeout message. */
interface Seen {
  last: string;
}

type Waiter<K extends WaitStrategy['kind']> = (ctx: WaitContext, s: Extract<WaitStrategy, { kind: K }>, seen: Seen, signal: AbortSignal) => Promise<void>;

/** Runs `fn` when `signal` aborts — at once if it already has (addEventListener alone would never fire). */
function onAbort(signal: AbortSignal, fn: () => void): () => void {
  if (signal.aborted) {
    fn();
    return () => undefined;
  }
  signal.addEventListener('abort', fn, { once: true });
  return () => signal.removeEventListener('abort', fn);
}

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    let detach = () => undefined as void;
    const timer = setTimeout(() => (detach(), resolve()), ms);
    // Detach when the timer fires: a polling loop would otherwise pile listeners on the signal.
    detach = onAbort(signal, () => (clearTimeout(timer), resolve()));
  });

/** Docker's userland port proxy accepts at once even when nothing listens inside, then closes: a
 *  connection that survives this long without being closed has reached a real listener. */
const HOLD_MS = 150;

const waitPort: Waiter<'port'> = async (ctx, s, seen, signal) => {
  const hostPort = ctx.hostPort(s.port);
  if (hostPort === undefined) {
    throw new StudioError({ code: 'toml.shape', message: `service "${ctx.service}": wait for port ${s.port}, but ${s.port} is not in its ports`, path: `services.${ctx.service}.ports` });
  }
  while (!signal.aborted) {
    const outcome = await new Promise<string | true>((resolve) => {
      const socket = connect({ host: ctx.hostAddress, port: hostPort });
      let settled = false;
      const finish = (value: string | true) => {
        if (settled) return;
        settled = true;
        clearTimeout(hold);
        socket.destroy();
        resolve(value);
      };
      let hold: NodeJS.Timeout | undefined;
      socket.setTimeout(2000, () => finish(`connect to ${ctx.hostAddress}:${hostPort} timed out`));
      socket.once('connect', () => {
        hold = setTimeout(() => finish(true), HOLD_MS);
      });
      socket.once('data', () => finish(true));
      socket.once('end', () => finish(`connection to ${ctx.hostAddress}:${hostPort} accepted then closed (nothing listening on ${s.port} in the container yet)`));
      socket.once('error', (error) => finish(`connect to ${ctx.hostAddress}:${hostPort}: ${error.message}`));
    });
    if (outcome === true) return;
    seen.last = outcome;
    await pause(100, signal);
  }
};

const waitLog: Waiter<'log'> = async (ctx, s, seen, signal) => {
  // Without the g/y flags: `test` on a global regex is stateful and would skip matches.
  const pattern = s.pattern instanceof RegExp ? new RegExp(s.pattern.source, s.pattern.flags.replace(/[gy]/g, '')) : new RegExp(s.pattern);
  const stream = (await ctx.docker.getContainer(ctx.containerId).logs({ follow: true, stdout: true, stderr: true })) as NodeJS.ReadableStream & { destroy(): void };
  const recent: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const splitters = [new LineSplitter(), new LineSplitter()];
    const check = (lines: string[]) => {
      for (const line of lines) {
        recent.push(line);
        if (recent.length > 3) recent.shift();
        seen.last = recent.map((l) => JSON.stringify(l)).join(', ');
        if (pattern.test(line)) {
          stream.destroy();
          resolve();
          return;
        }
      }
    };
    const sink = (i: number) =>
      new Writable({
        write(chunk: Buffer, _enc, cb) {
          check(splitters[i]!.push(chunk.toString('utf8')));
          cb();
        },
      });
    ctx.docker.modem.demuxStream(stream, sink(0), sink(1));
    stream.on('end', () => {
      check([...splitters[0]!.flush(), ...splitters[1]!.flush()]);
      reject(new Error('log stream ended (the container stopped)'));
    });
    stream.on('error', (error: Error) => reject(error));
    onAbort(signal, () => (stream.destroy(), resolve()));
  });
  if (!recent.length) seen.last = 'no log output';
};

const waitHealth: Waiter<'health'> = async (ctx, s, seen, signal) => {
  const retries = s.retries ?? Number.POSITIVE_INFINITY;
  for (let attempt = 1; attempt <= retries && !signal.aborted; attempt++) {
    const result = await execInContainer(ctx.docker, ctx.containerId, { cmd: s.cmd, timeoutMs: s.tryTimeoutMs ?? 5000 });
    if (result.exitCode === 0) return;
    const output = (result.stderr || result.stdout).trim().split('\n').slice(-1)[0] ?? '';
    seen.last = `try ${attempt}: ${result.timedOut ? 'timed out' : `exit ${result.exitCode}`}${output ? ` (${JSON.stringify(output.slice(0, 200))})` : ''}`;
    if (attempt < retries) await pause(s.intervalMs ?? 500, signal);
  }
  if (!signal.aborted) {
    throw new StudioError({
      code: 'docker.wait-timeout',
      message: `service "${ctx.service}": health check ${JSON.stringify(s.cmd)} failed ${retries} times; last: ${seen.last}`,
      details: { service: ctx.service, lastSeen: seen.last },
    });
  }
};

const waitSpan: Waiter<'span'> = async (ctx, s, seen, signal) => {
  if (!ctx.spanWaiter) {
    throw new StudioError({ code: 'internal', message: `service "${ctx.service}" waits for span "${s.name}" but no span feed was given to the service set (spanWaiter)` });
  }
  seen.last = `no span named "${s.name}" received for execution ${ctx.executionId}`;
  await ctx.spanWaiter({ executionId: ctx.executionId, service: ctx.service, spanName: s.name, signal });
};

function runWaiter(ctx: WaitContext, s: WaitStrategy, seen: Seen, signal: AbortSignal): Promise<void> {
  switch (s.kind) {
    case 'port':
      return waitPort(ctx, s, seen, signal);
    case 'log':
      return waitLog(ctx, s, seen, signal);
    case 'health':
      return waitHealth(ctx, s, seen, signal);
    case 'span':
      return waitSpan(ctx, s, seen, signal);
  }
}

/**
 * Waits until every strategy holds (concurrently), each within its own bound, failing early when the
 * container stops. `outer` aborts everything (the set is being disposed).
 */
export async function waitUntilReady(ctx: WaitContext, strategies: readonly WaitStrategy[], outer?: AbortSignal): Promise<void> {
  if (strategies.length === 0) return;
  const controller = new AbortController();
  const detach = outer ? onAbort(outer, () => controller.abort()) : () => undefined;
  const exitWatch = watchForExit(ctx, controller.signal);
  const all = Promise.all(strategies.map((s) => waitOne(ctx, s, controller.signal)));
  // The loser of the race may still reject later; that is expected, not an unhandled error.
  exitWatch.catch(() => undefined);
  all.catch(() => undefined);
  try {
    await Promise.race([all, exitWatch]);
    if (outer?.aborted) throw new StudioError({ code: 'docker.failed', message: `service "${ctx.service}": stopped while waiting to be ready (the run was cancelled)` });
  } catch (error) {
    // A waiter that broke because the container died (log stream ended…) says less than the evidence.
    if (error instanceof StudioError && error.code === 'docker.failed' && !error.problem.details?.evidence) {
      const evidence = await collectEvidence(ctx.docker, ctx.service, ctx.containerId, 20);
      if (!evidence.running) {
        throw new StudioError({
          code: 'docker.failed',
          message: `service "${ctx.service}" stopped before it was ready: ${describeEvidence(evidence)}`,
          details: { service: ctx.service, evidence },
        });
      }
    }
    throw error;
  } finally {
    controller.abort();
    detach();
  }
}

async function waitOne(ctx: WaitContext, strategy: WaitStrategy, parent: AbortSignal): Promise<void> {
  const seen: Seen = { last: 'nothing yet' };
  const timeoutMs = strategy.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  const own = new AbortController();
  const detach = onAbort(parent, () => own.abort());
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      own.abort();
      reject(
        new StudioError({
          code: 'docker.wait-timeout',
          message: `service "${ctx.service}" was not ready within ${timeoutMs} ms: waited for ${describeStrategy(strategy)}; last seen: ${seen.last}`,
          details: { service: ctx.service, strategy: strategy.kind, timeoutMs, lastSeen: seen.last },
        }),
      );
    }, timeoutMs);
  });
  try {
    await Promise.race([runWaiter(ctx, strategy, seen, own.signal), timedOut]);
  } catch (error) {
    if (error instanceof StudioError) throw error;
    throw new StudioError({
      code: 'docker.failed',
      message: `service "${ctx.service}": waiting for ${describeStrategy(strategy)} failed: ${(error as Error).message}`,
      details: { service: ctx.service, strategy: strategy.kind },
    });
  } finally {
    clearTimeout(timer);
    detach();
    own.abort();
  }
}

/** Rejects with the container's evidence if it stops before the waits are done; never resolves otherwise. */
async function watchForExit(ctx: WaitContext, signal: AbortSignal): Promise<never> {
  const container = ctx.docker.getContainer(ctx.containerId);
  if (signal.aborted) return new Promise<never>(() => undefined);
  try {
    await container.wait({ abortSignal: signal } as object);
  } catch {
    // Aborted because the waits finished (or the engine went away: the waits will report that).
    return new Promise<never>(() => undefined);
  }
  if (signal.aborted) return new Promise<never>(() => undefined);
  const evidence = await collectEvidence(ctx.docker, ctx.service, ctx.containerId, 20);
  throw new StudioError({
    code: 'docker.failed',
    message: `service "${ctx.service}" stopped before it was ready: ${describeEvidence(evidence)}`,
    details: { service: ctx.service, evidence },
  });
}
