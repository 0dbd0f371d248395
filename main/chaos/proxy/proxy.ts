// One named proxy: a listener, the upstream it forwards to, whether it is enabled (`down` = disabled:
// listener closed, connections refused) and its toxics. Toxic changes reach the connections that are
// open, as in Toxiproxy. Connection-wide toxics act at accept: connection_limit resets connections
// over the limit; slow_open holds the client (unread) before the upstream is dialled.
import { createServer, type Server, type Socket } from 'node:net';
import type { Toxic } from '../../../shared/chaos/toxics';
import { toxicDefinition } from '../../../shared/chaos/toxics';
import { StudioError } from '../../../shared/errors';
import { formatAddress, parseAddress } from './address';
import { ProxyConnection, type Address } from './connection';
import { sleep } from './stub';

export interface ProxyJson {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: Toxic[];
}

const isConnectionWide = (t: Toxic) => toxicDefinition(t.type)?.scope === 'connection';
const draws = (t: Toxic) => t.toxicity >= 1 || Math.random() < t.toxicity;

export class FaultProxy {
  private toxics: Toxic[] = [];
  private server: Server | undefined;
  private readonly connections = new Set<ProxyConnection>();
  /** Aborted when slow_open toxics change, so waiting clients go on at once. */
  private slowOpenChanged = new AbortController();
  private listenAddress: Address;
  private upstreamAddress: Address;
  enabled = false;

  constructor(readonly name: string, listen: string, upstream: string) {
    this.listenAddress = parseAddress(listen, 'listen');
    this.upstreamAddress = parseAddress(upstream, 'upstream');
  }

  get listen(): string {
    return formatAddress(this.listenAddress);
  }

  get upstream(): string {
    return formatAddress(this.upstreamAddress);
  }

  get openConnections(): number {
    return this.connections.size;
  }

  toJSON(): ProxyJson {
    return { name: this.name, listen: this.listen, upstream: this.upstream, enabled: this.enabled, toxics: [...this.toxics] };
  }

  /** Same listen and upstream (what /populate compares before replacing). */
  sameAddresses(listen: string, upstream: string): boolean {
    const l = parseAddress(listen, 'listen');
    const sameListen = l.host === this.listenAddress.host && (l.port === 0 || l.port === this.listenAddress.port);
    return sameListen && formatAddress(parseAddress(upstream, 'upstream')) === this.upstream;
  }

  async start(): Promise<void> {
    if (this.enabled) return;
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => void this.accept(socket).catch(() => socket.destroy()));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        reject(new StudioError({ code: 'chaos.listen-failed', message: `proxy ${this.name}: cannot listen on ${this.listen}: ${error.code ?? error.message}. Pick another port, or 0 for any free one.` }));
      });
      server.listen(this.listenAddress.port, this.listenAddress.host, () => resolve());
    });
    // Port 0 became a real port: keep it, so disabling and enabling again reuses it (as Toxiproxy).
    this.listenAddress = { host: this.listenAddress.host, port: (server.address() as { port: number }).port };
    this.server = server;
    this.enabled = true;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.enabled = false;
    for (const connection of this.connections) connection.close();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** New listen/upstream restart the proxy (dropping its connections); `enabled` starts or stops it. */
  async update(change: { listen?: string; upstream?: string; enabled?: boolean }): Promise<void> {
    const listen = change.listen !== undefined ? parseAddress(change.listen, 'listen') : this.listenAddress;
    const upstream = change.upstream !== undefined ? parseAddress(change.upstream, 'upstream') : this.upstreamAddress;
    const moved = formatAddress(listen) !== this.listen || formatAddress(upstream) !== this.upstream;
    const enabled = change.enabled ?? this.enabled;
    if (moved || !enabled) await this.stop();
    this.listenAddress = listen;
    this.upstreamAddress = upstream;
    if (enabled) await this.start();
  }

  toxicList(): readonly Toxic[] {
    return this.toxics;
  }

  toxic(name: string): Toxic | undefined {
    return this.toxics.find((t) => t.name === name);
  }

  async addToxic(toxic: Toxic): Promise<void> {
    this.toxics.push(toxic);
    await this.forEachLink(toxic, (c) => c.add(toxic));
  }

  async updateToxic(toxic: Toxic): Promise<void> {
    this.toxics = this.toxics.map((t) => (t.name === toxic.name ? toxic : t));
    await this.forEachLink(toxic, (c) => c.update(toxic));
  }

  async removeToxic(name: string): Promise<void> {
    const toxic = this.toxic(name);
    if (!toxic) return;
    this.toxics = this.toxics.filter((t) => t !== toxic);
    await this.forEachLink(toxic, (c) => c.remove(toxic));
  }

  async removeAllToxics(): Promise<void> {
    for (const toxic of [...this.toxics].reverse()) await this.removeToxic(toxic.name);
  }

  private async forEachLink(toxic: Toxic, change: (c: ProxyConnection) => Promise<void>): Promise<void> {
    if (isConnectionWide(toxic)) {
      if (toxic.type === 'slow_open') this.wakeSlowOpens();
      return;
    }
    await Promise.all([...this.connections].map(change));
  }

  private wakeSlowOpens(): void {
    this.slowOpenChanged.abort();
    this.slowOpenChanged = new AbortController();
  }

  private async accept(client: Socket): Promise<void> {
    client.on('error', () => client.destroy());
    for (const limit of this.toxics.filter((t) => t.type === 'connection_limit')) {
      if (this.connections.size >= (limit.attributes.max as number) && draws(limit)) return void client.resetAndDestroy();
    }
    const delay = this.toxics.filter((t) => t.type === 'slow_open' && draws(t)).reduce((sum, t) => sum + (t.attributes.delay as number), 0);
    if (delay > 0) {
      // The client stays paused (unread) meanwhile: nothing passes before the upstream is dialled.
      const gone = new AbortController();
      client.once('close', () => gone.abort());
      await sleep(delay, AbortSignal.any([gone.signal, this.slowOpenChanged.signal]));
      if (client.destroyed || !this.enabled) return void client.destroy();
    }
    const stream = this.toxics.filter((t) => !isConnectionWide(t));
    const connection = new ProxyConnection(client, this.upstreamAddress, stream, () => this.connections.delete(connection));
    this.connections.add(connection);
    client.resume();
  }
}
