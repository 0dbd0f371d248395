// Running commands for a scenario's steps: `execInContainer` inside a running service container, and
// `runToCompletion` in a fresh container. Both return the same `CommandResult` (stdout/stderr demuxed,
// exit code, duration, whether the time bound hit) — a failing command is a result, not an exception.
import type Docker from 'dockerode';
import { StudioError } from '../../shared/errors';
import { ensureImages } from './images';
import { CappedBuffer } from './output';

export interface CommandOptions {
  /** Exec form: `["sh", "-c", "wget -qO- http://api:8080/health"]`. */
  readonly cmd: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly workdir?: string;
  readonly user?: string;
  /** Bound on the whole command. Default 60000. */
  readonly timeoutMs?: number;
  /** Kept per stream; the rest is counted in `droppedBytes`. Default 4 MiB. */
  readonly maxOutputBytes?: number;
}

export interface CommandResult {
  /** null when the time bound hit before the command ended. */
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  readonly timedOut: boolean;
  /** Output beyond maxOutputBytes that was not kept (both streams). */
  readonly droppedBytes: number;
}

const DEFAULT_TIMEOUT = 60_000;
const DEFAULT_MAX_OUTPUT = 4 * 1024 * 1024;

function envList(env: Readonly<Record<string, string>> | undefined): string[] {
  return Object.entries(env ?? {}).map(([k, v]) => `${k}=${v}`);
}

function checkCmd(cmd: readonly string[]): void {
  if (cmd.length === 0 || cmd.some((part) => typeof part !== 'string')) {
    throw new StudioError({ code: 'docker.bad-command', message: `a command must be a non-empty list of strings, got ${JSON.stringify(cmd)}` });
  }
}

/**
 * Runs a command in a running container. On timeout the output stream is abandoned and `timedOut` is
 * true; Docker has no API to kill an exec'd process, so it may run on until the container stops.
 */
export async function execInContainer(docker: Docker, containerId: string, options: CommandOptions): Promise<CommandResult> {
  checkCmd(options.cmd);
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT;
  const out = new CappedBuffer(options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT);
  const err = new CappedBuffer(options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT);
  let exec: Docker.Exec;
  try {
    exec = await docker.getContainer(containerId).exec({
      Cmd: [...options.cmd],
      Env: envList(options.env),
      WorkingDir: options.workdir,
      User: options.user,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
    });
  } catch (error) {
    throw new StudioError({
      code: 'docker.failed',
      message: `cannot exec ${JSON.stringify(options.cmd)} in container ${containerId.slice(0, 12)}: ${(error as Error).message}`,
      details: { containerId },
    });
  }
  let stream: NodeJS.ReadWriteStream & { destroy(): void };
  try {
    stream = (await exec.start({ hijack: true, stdin: false })) as typeof stream;
  } catch (error) {
    // 409: the container is not running (it exited, or was paused/stopped by a fault).
    throw new StudioError({
      code: 'docker.failed',
      message: `cannot run ${JSON.stringify(options.cmd)} in container ${containerId.slice(0, 12)}: ${(error as Error).message}`,
      details: { containerId, statusCode: (error as { statusCode?: number }).statusCode },
    });
  }
  docker.modem.demuxStream(stream, out, err);
  const ended = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      stream.destroy();
      resolve(false);
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve(true);
    };
    stream.once('end', done);
    stream.once('close', done);
    stream.once('error', done);
  });
  let exitCode: number | null = null;
  if (ended) {
    // The stream can end a moment before the engine records the exit code; poll briefly for it.
    for (let i = 0; i < 50; i++) {
      const info = await exec.inspect();
      if (!info.Running) {
        exitCode = info.ExitCode ?? null;
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return {
    exitCode,
    stdout: out.text(),
    stderr: err.text(),
    durationMs: performance.now() - started,
    timedOut: !ended,
    droppedBytes: out.dropped + err.dropped,
  };
}

export interface RunOptions extends CommandOptions {
  readonly image: string;
  /** Network to join (the run network, so service names resolve). */
  readonly network?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly name?: string;
  /** Replace the image's entrypoint (e.g. `[]` to run `cmd` directly on an image with one). */
  readonly entrypoint?: readonly string[];
  /** Told when the container started and when it exited (epoch ms), e.g. for the runner's own spans. */
  readonly onLifecycle?: (event: ContainerLifecycle) => void;
}

export type ContainerLifecycle =
  | { readonly type: 'started'; readonly containerId: string; readonly at: number }
  | { readonly type: 'exited'; readonly containerId: string; readonly at: number; readonly exitCode: number | null };

const epochMs = () => performance.timeOrigin + performance.now();

/** Runs a command in a fresh container and removes it afterwards (a timeout kills it). */
export async function runToCompletion(docker: Docker, options: RunOptions): Promise<CommandResult> {
  checkCmd(options.cmd);
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT;
  const out = new CappedBuffer(options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT);
  const err = new CappedBuffer(options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT);
  // A clear `docker.image-missing` (with how to get it) instead of the engine's bare 404.
  await ensureImages(docker, [options.image]);
  const container = await docker.createContainer({
    name: options.name,
    Image: options.image,
    Cmd: [...options.cmd],
    Entrypoint: options.entrypoint ? [...options.entrypoint] : undefined,
    Env: envList(options.env),
    WorkingDir: options.workdir,
    User: options.user,
    Labels: { ...options.labels },
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    HostConfig: { NetworkMode: options.network, ExtraHosts: ['host.docker.internal:host-gateway'] },
  });
  try {
    // Attach before start so no early output is lost.
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    const streamEnded = new Promise<void>((resolve) => {
      stream.once('end', resolve);
      stream.once('close', resolve);
      stream.once('error', () => resolve());
    });
    docker.modem.demuxStream(stream, out, err);
    // 'next-exit': a created (not yet started) container already counts as "not running".
    const waited = container.wait({ condition: 'next-exit' }) as Promise<{ StatusCode: number }>;
    await container.start();
    options.onLifecycle?.({ type: 'started', containerId: container.id, at: epochMs() });
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      waited.then((r) => ({ exitCode: r.StatusCode, timedOut: false })),
      new Promise<{ exitCode: null; timedOut: true }>((resolve) => {
        timer = setTimeout(() => resolve({ exitCode: null, timedOut: true }), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (outcome.timedOut) await container.kill().catch(() => undefined);
    options.onLifecycle?.({ type: 'exited', containerId: container.id, at: epochMs(), exitCode: outcome.exitCode });
    // Output of a finished container is complete once its attach stream ends (bounded: it ends with the container).
    await Promise.race([streamEnded, new Promise((r) => setTimeout(r, 2000).unref())]);
    return {
      exitCode: outcome.exitCode,
      stdout: out.text(),
      stderr: err.text(),
      durationMs: performance.now() - started,
      timedOut: outcome.timedOut,
      droppedBytes: out.dropped + err.dropped,
    };
  } finally {
    await container.remove({ force: true, v: true }).catch(() => undefined);
  }
}
