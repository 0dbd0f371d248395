// Test support: a second, throw-away Docker engine on this machine, for suites about remote engines and
// engine pools. It has its own data root, exec root, bridge and a TCP socket on 127.0.0.1 only, so to
// the runner it is a `tcp://` engine (remote: its containers cannot be assumed to reach our loopback).
// It needs root, `dockerd` and `ip`; without them `startSecondEngine` says why (the suite skips loudly,
// or fails under CI=true like every Docker suite). Images are copied from the main engine (no registry).
// dockerd leaves its networks' NAT rules on the host when it stops or is killed, and its networks take
// subnets from the same default pools as the main engine's: a stale `-s <subnet> ! -o <bridge> -j
// MASQUERADE` over a subnet the main engine hands out later rewrites the sources of that run's
// container-to-container packets (the iptables faults then match nothing). So `stop` removes the
// networks through the engine and then every host rule naming one of its bridges. (Giving it its own
// `--default-address-pool` instead makes a restarted engine delete the main engine's docker0.)
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { eventually } from './test-support';

const run = promisify(execFile);

export interface SecondEngineOptions {
  /** Short name (≤ 10 characters): the bridge is `clnrm-<name>`. Distinct per concurrent suite. */
  readonly name: string;
  /** TCP port on 127.0.0.1 for the engine's API. */
  readonly port: number;
  /** The bridge's address and prefix, e.g. `10.201.255.1/24` (outside Docker's default pools; distinct per suite). */
  readonly bridgeCidr: string;
  /** Images copied from `source` once the engine is up. */
  readonly images?: readonly string[];
  readonly source?: Docker;
}

export interface SecondEngine {
  /** `tcp://127.0.0.1:<port>`, what DOCKER_HOST or `--engine` take. */
  readonly host: string;
  readonly docker: Docker;
  /** SIGKILL the engine (its API disappears mid-run); `restart` brings it back on the same data. */
  kill(): Promise<void>;
  restart(): Promise<void>;
  /** Stops the engine (its containers and networks with it) and removes its bridge, host rules and folders; once. */
  stop(): Promise<void>;
}

export type SecondEngineProbe = { engine: SecondEngine; reason?: undefined } | { engine?: undefined; reason: string };

async function missingPrerequisite(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'a second engine needs root (dockerd, ip link)';
  for (const tool of ['dockerd', 'ip']) {
    try {
      await run('sh', ['-c', `command -v ${tool}`]);
    } catch {
      return `\`${tool}\` is not installed`;
    }
  }
  return undefined;
}

class LocalEngine implements SecondEngine {
  readonly host: string;
  readonly docker: Docker;
  private process: ChildProcess | undefined;
  private stopped = false;

  constructor(
    private readonly options: SecondEngineOptions,
    private readonly root: string,
  ) {
    this.host = `tcp://127.0.0.1:${options.port}`;
    this.docker = new Docker({ host: '127.0.0.1', port: options.port, protocol: 'http', socketPath: undefined });
  }

  private get bridge(): string {
    return `clnrm-${this.options.name}`;
  }

  async start(): Promise<void> {
    await run('ip', ['link', 'add', this.bridge, 'type', 'bridge']).catch(() => undefined);
    await run('ip', ['addr', 'replace', this.options.bridgeCidr, 'dev', this.bridge]);
    await run('ip', ['link', 'set', this.bridge, 'up']);
    await this.launch();
    for (const image of this.options.images ?? []) {
      const tar = await this.options.source!.getImage(image).get();
      const loading = await this.docker.loadImage(tar);
      await new Promise<void>((resolve, reject) => this.docker.modem.followProgress(loading, (error) => (error ? reject(error) : resolve())));
    }
  }

  private async launch(): Promise<void> {
    const r = this.root;
    const args = ['--data-root', join(r, 'data'), '--exec-root', join(r, 'exec'), '--pidfile', join(r, 'docker.pid')];
    args.push('-H', `tcp://127.0.0.1:${this.options.port}`, '--bridge', this.bridge, '--log-level', 'warn');
    // A killed engine's containerd dies with it but leaves its pid file and sockets, which would make the
    // next dockerd wait on a containerd that is gone.
    for (const stale of ['containerd.pid', 'containerd.sock', 'containerd.sock.ttrpc', 'containerd-debug.sock']) rmSync(join(r, 'exec', 'containerd', stale), { force: true });
    const log = join(r, 'dockerd.log');
    const child = spawn('dockerd', args, { stdio: ['ignore', 'ignore', openSync(log, 'a')] });
    this.process = child;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let gone = false;
    void exited.then(() => (gone = true));
    await eventually(
      async () => {
        if (gone) throw new Error(`the second engine (dockerd on port ${this.options.port}) exited while starting: ${readFileSync(log, 'utf8').trim().split('\n').slice(-3).join(' | ')}`);
        return this.docker.ping().then(() => true, () => false);
      },
      60_000,
      `the second engine on 127.0.0.1:${this.options.port}`,
    );
  }

  private async signal(name: NodeJS.Signals): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(name);
    await exited;
  }

  kill(): Promise<void> {
    return this.signal('SIGKILL');
  }

  async restart(): Promise<void> {
    await this.signal('SIGTERM');
    await this.launch();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (!this.process) await this.launch().catch(() => undefined);
    // Removing the containers and then the networks through the engine deletes most of their host rules.
    const containers = await this.docker.listContainers({ all: true }).catch(() => []);
    await Promise.all(containers.map((c) => this.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
    const networks = (await this.docker.listNetworks().catch(() => [])).filter((n) => !['bridge', 'host', 'none'].includes(n.Name));
    await Promise.all(networks.map((n) => this.docker.getNetwork(n.Id).remove().catch(() => undefined)));
    await this.signal('SIGTERM');
    await run('ip', ['link', 'delete', this.bridge]).catch(() => undefined);
    // Every rule dockerd writes for a network names its bridge; the default bridge's outlive dockerd.
    const bridges = [this.bridge, ...networks.map((n) => n.Options?.['com.docker.network.bridge.name'] ?? `br-${n.Id.slice(0, 12)}`)];
    await deleteHostRules(bridges).catch(() => undefined);
    await run('sh', ['-c', `grep -o ' ${this.root}/[^ ]*' /proc/mounts | xargs -r -n1 umount -l`]).catch(() => undefined);
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Deletes the host's nat and filter rules that name one of `bridges` as an interface. */
async function deleteHostRules(bridges: readonly string[]): Promise<void> {
  for (const table of ['nat', 'filter']) {
    const { stdout } = await run('iptables', ['-w', '5', '-t', table, '-S']);
    for (const line of stdout.split('\n')) {
      const tokens = line.split(' ');
      if (!line.startsWith('-A ') || !tokens.some((token) => bridges.includes(token))) continue;
      await run('iptables', ['-w', '5', '-t', table, '-D', ...tokens.slice(1)]).catch(() => undefined);
    }
  }
}

/** Starts a second engine, or says why one cannot run here. */
export async function startSecondEngine(options: SecondEngineOptions): Promise<SecondEngineProbe> {
  const missing = await missingPrerequisite();
  if (missing) return { reason: missing };
  const engine = new LocalEngine(options, mkdtempSync(join(tmpdir(), `clnrm-engine-${options.name}-`)));
  try {
    await engine.start();
  } catch (error) {
    await engine.stop().catch(() => undefined);
    return { reason: `the second engine did not start: ${(error as Error).message}` };
  }
  return { engine };
}
