// One client connection through a proxy: the client socket, the upstream socket opened for it, and a
// link each way (client → upstream is the `upstream` stream, upstream → client `downstream`). Ends
// flow through the toxics as half-closes; an error on one side closes the other; a toxic can close
// (after flushing) or reset the whole connection.
import { connect, type Socket } from 'node:net';
import type { Toxic, ToxicStream } from '../../../shared/chaos/toxics';
import { Link, type LinkHooks } from './link';

export interface Address {
  readonly host: string;
  readonly port: number;
}

export class ProxyConnection {
  readonly upstream: Socket;
  private readonly links: Record<ToxicStream, Link>;
  private open = 2;

  /**
   * Starts forwarding `client` to `target` with `toxics` (stream and HTTP ones, in order).
   * `onClosed` runs once both sockets are closed.
   */
  constructor(readonly client: Socket, target: Address, toxics: readonly Toxic[], onClosed: () => void) {
    this.upstream = connect({ host: target.host, port: target.port, allowHalfOpen: true, noDelay: true });
    client.setNoDelay(true);
    const hooks: LinkHooks = {
      close: () => this.close(),
      reset: () => this.reset(),
      respond: (data, thenClose) => {
        if (client.destroyed || client.writableEnded) return;
        client.write(data);
        if (thenClose) client.end(() => this.close());
      },
    };
    this.links = {
      upstream: new Link(client, this.upstream, hooks),
      downstream: new Link(this.upstream, client, hooks),
    };
    for (const toxic of toxics) void this.links[toxic.stream].add(toxic);
    const closed = () => {
      if (--this.open > 0) return;
      this.links.upstream.dispose();
      this.links.downstream.dispose();
      onClosed();
    };
    // A failed or reset side takes the other down; a clean end travels through the toxics instead.
    client.on('error', () => this.upstream.destroy());
    this.upstream.on('error', () => client.destroy());
    client.on('close', closed);
    this.upstream.on('close', closed);
  }

  add(toxic: Toxic): Promise<void> {
    return this.links[toxic.stream].add(toxic);
  }

  update(toxic: Toxic): Promise<void> {
    return this.links[toxic.stream].update(toxic);
  }

  remove(toxic: Toxic): Promise<void> {
    return this.links[toxic.stream].remove(toxic.name);
  }

  close(): void {
    this.client.destroy();
    this.upstream.destroy();
  }

  reset(): void {
    if (!this.client.destroyed) this.client.resetAndDestroy();
    if (!this.upstream.destroyed) this.upstream.resetAndDestroy();
  }
}
